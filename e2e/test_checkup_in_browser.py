"""The checkup centre in a real browser: the desk checks a person in, two rooms scan the guide sheet, call
the person in, enter results (a glucose in mg/dL) and check out; the person leaves; the chief examiner
sees them, adopts the library's conclusions, signs and releases the report; the person opens it from
the one-time link on a phone-sized screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone

from carebridge.checkup.demo.install import catalogue_install
from carebridge.checkup.models import ReportRelease, Result, Visit
from carebridge.checkup.services.visits import visit_book
from carebridge.checkup.tests.factories import CentreFactory, CustomerFactory, PhoneFactory
from carebridge.core.tests.factories import PASSWORD, HospitalFactory, make_persona

# serialized_rollback: the regions and role groups created by data migrations survive each test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 640}
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture
def centre(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    department = CentreFactory(hospital=hospital, code="CHKP")
    catalogue = catalogue_install(department=department)
    staff = make_persona("chen", "checkup_staff", hospital, departments=[department])
    person = CustomerFactory(hospital=hospital, name="王建国", sex="M")
    PhoneFactory(patient=person, number="13912345678")
    items = [catalogue.items[code] for code in ("GLU", "SBP", "DBP", "BMI")]
    visit = visit_book(
        patient=person,
        department=department,
        scheduled_for=timezone.localdate(),
        actor=staff,
        extra_items=items,
    )
    make_persona("he", "chief_examiner", hospital, departments=[department])
    return {"visit": visit, "catalogue": catalogue}


def _log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()


def _log_out(page) -> None:
    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").click()


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def _room(page, live_server, visit: Visit, room, values: dict[str, tuple[str, str]]) -> None:
    """Scan the guide sheet at the room, call the person in, enter the results, sign, check out."""
    page.goto(f"{live_server.url}/checkup/rooms/{room.pk}/")
    page.fill("#id_number", visit.number)
    with page.expect_navigation():
        page.locator("#id_number").press("Enter")
    assert visit.patient.name in page.locator("#waiting-list").inner_text()
    _submit(page, "#waiting-list button[type=submit]")
    with page.expect_navigation():
        page.locator("#inside-list a", has_text="Results").click()
    for code, (value, unit) in values.items():
        order = visit.orders.get(item__code=code)
        page.fill(f"[name=value_{order.pk}]", value)
        if unit:
            page.select_option(f"[name=unit_{order.pk}]", unit)
    _submit(page, "#save-results")
    _submit(page, "#room-sign")
    assert page.locator("#room-signed").is_visible()
    page.goto(f"{live_server.url}/checkup/rooms/{room.pk}/")
    _submit(page, "#inside-list button[type=submit]")  # check out


def test_check_in_two_rooms_results_signature_and_the_report_on_a_phone(live_server, page, browser, centre):
    visit, catalogue = centre["visit"], centre["catalogue"]
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    # The desk checks the person in (fasting) and prints the guide sheet with its code.
    _log_in(page, live_server, "chen")
    page.goto(f"{live_server.url}/checkup/visits/{visit.pk}/")
    _submit(page, "#check-in")
    assert "Checked in" in page.locator("#visit-status").inner_text()
    assert "采血室" in page.locator("#next-room").inner_text()  # fasting: the blood draw first
    with page.expect_navigation():
        page.locator("#guide-sheet-link").click()
    assert (
        page.locator("svg[aria-label]").count() == 1
        and visit.number in page.locator("#visit-number").inner_text()
    )

    # Two rooms: the blood draw (glucose entered in mg/dL), then the general examination.
    _room(page, live_server, visit, catalogue.rooms["BLD"], {"GLU": ("117", "mg/dL")})
    _room(
        page,
        live_server,
        visit,
        catalogue.rooms["GEN"],
        {"SBP": ("146", ""), "DBP": ("92", ""), "BMI": ("26.4", "")},
    )
    glucose = Result.objects.get(visit=visit, item__code="GLU")
    assert str(glucose.value_numeric) == "6.5000" and glucose.unit == "mmol/L" and glucose.flag == "H"
    page.goto(f"{live_server.url}/checkup/visits/{visit.pk}/")
    _submit(page, "#leave")
    _log_out(page)

    # The chief examiner sees the person, adopts the conclusions, signs and releases the report.
    _log_in(page, live_server, "he")
    page.goto(f"{live_server.url}/checkup/review/")
    with page.expect_navigation():
        page.locator("#to-sign a", has_text=visit.number).click()
    _submit(page, "#saw-person")
    assert page.locator("#seen").is_visible()
    _submit(page, "#adopt")
    assert "空腹血糖受损" in page.locator("#findings").inner_text()
    page.fill("#id_summary", "空腹血糖受损，血压升高，超重。")
    _submit(page, "#sign")
    assert "Signed" in page.locator("#visit-status").inner_text()
    assert (
        "1级高血压" in page.locator("#risk-rules").inner_text()
    )  # the rule that set level 3, with its source
    _submit(page, "#release")
    visit.refresh_from_db()
    assert visit.status == "released" and visit.released_at is not None
    token = ReportRelease.objects.get(visit=visit).token

    # The person opens the report from the link, on a phone.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN").new_page()
    phone.goto(f"{live_server.url}/r/{token}/")
    text = phone.locator("#report-page").inner_text()
    for phrase in ("王建国", "空腹血糖", "6.50 mmol/L", "空腹血糖受损", "控制体重减肥"):
        assert phrase in text, phrase
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the report scrolls sideways ({width}px)"
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "checkup-report-360.png"), full_page=True)
    pdf = phone.request.get(f"{live_server.url}/r/{token}/report.pdf")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The link works once: another device sees nothing.
    other = browser.new_context(viewport=PHONE).new_page()
    other.goto(f"{live_server.url}/r/{token}/")
    assert "王建国" not in other.content() and re.search("once|一次", other.content())
    phone.context.close()
    other.context.close()
