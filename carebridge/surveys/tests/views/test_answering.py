"""The public answering page: intro, pages, validation in the respondent's language, save and resume,
skip logic, thank-you page, refusals, the 404 for forged tokens and the rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from carebridge.surveys.choices import InvitationStatus
from carebridge.surveys.models import Response, ResponseDraft
from carebridge.surveys.tests.support.responses import invite, open_wave

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wave(hospital, quality_officer_qian):
    return open_wave(hospital=hospital, owner=quality_officer_qian)


@pytest.fixture
def invitation(wave, cardiology):
    return invite(wave, department=cardiology)


def url(invitation, **query):
    base = reverse("answer:answer", args=[invitation.token])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post(client, invitation, page, action="next", lang="en", **answers):
    data = {"page": page, "action": action, "lang": lang}
    data.update({f"a-{code}": value for code, value in answers.items()})
    return client.post(url(invitation, lang=lang), data)


def test_the_first_page_explains_purpose_and_privacy_in_chinese_by_default(client, invitation):
    page = client.get(url(invitation))
    assert page.status_code == 200 and page["Content-Language"] == "zh-hans"
    html = page.content.decode()
    assert "简短满意度调查" in html and "本调查用于改进服务" in html and 'id="privacy"' in html
    assert "width=device-width" in html and "navbar" not in html  # standalone mobile layout
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.OPENED and invitation.opened_at is not None


def test_english_uses_the_definitions_english_texts(client, invitation):
    html = client.get(url(invitation, lang="en", page=1)).content.decode()
    assert "Did the doctor explain your condition clearly?" in html and "Very satisfied" in html
    assert 'href="?lang=zh-hans&amp;page=1"' in html


def test_a_respondent_answers_page_by_page_and_is_thanked(client, invitation):
    start = post(client, invitation, 0)
    assert start.status_code == 302 and "page=1" in start["Location"]
    second = post(client, invitation, 1, q1=5, q2=1, q3=4)
    assert second.status_code == 302 and "page=2" in second["Location"]
    assert ResponseDraft.objects.get(invitation=invitation).answers == {"q1": 5, "q2": 1, "q3": 4}
    assert "Submit" in client.get(url(invitation, lang="en", page=2)).content.decode()
    # nps 9 hides the comment, so the third page is skipped: page 2 submits.
    done = post(client, invitation, 2, action="submit", nps=9)
    assert done.status_code == 302 and done["Location"].startswith(
        reverse("answer:thanks", args=[invitation.token])
    )
    response = Response.objects.get()
    assert response.answers == {"q1": 5, "q2": 1, "q3": 4, "nps": 9}
    assert response.mode == "web" and response.language == "en" and response.duration_seconds is not None
    thanks = client.get(done["Location"])
    assert thanks.status_code == 200 and "Thank you" in thanks.content.decode()
    # Opening the link again leads to the thank-you page, not to a new questionnaire.
    assert client.get(url(invitation)).status_code == 302


def test_required_answers_are_asked_for_on_their_page(client, invitation):
    page = post(client, invitation, 1, q2=3)
    assert page.status_code == 400
    html = page.content.decode()
    assert "Please answer this question." in html and 'id="q-q1"' in html
    assert not ResponseDraft.objects.exists()


def test_out_of_range_answers_get_a_message_in_the_respondents_language(client, invitation):
    page = post(client, invitation, 2, nps=11)
    assert page.status_code == 400 and "Choose a whole number from 0 to 10." in page.content.decode()


def test_skip_logic_shows_the_comment_only_to_detractors(client, invitation):
    post(client, invitation, 1, q1=2, q2=4, q3=2)
    # The button said "submit" (no comment page yet), but a detractor score opens the comment page.
    assert "page=3" in post(client, invitation, 2, action="submit", nps=3)["Location"]
    assert not Response.objects.exists()
    html = client.get(url(invitation, lang="en", page=3)).content.decode()
    assert 'id="q-comment"' in html and 'id="q-comment" data-code="comment" data-show-if' in html
    assert "hidden" not in html.split('id="q-comment"')[1].split(">")[0]


def test_save_and_resume_from_another_device(client, invitation):
    saved = post(client, invitation, 1, action="save", q1=4)
    assert saved.status_code == 302 and "saved=1" in saved["Location"]
    from django.test import Client

    other_device = Client()
    page = other_device.get(url(invitation, lang="en"))
    html = page.content.decode()
    assert "Page 1 of 3" in html and 'value="4" checked' in html


def test_a_forged_token_gets_a_plain_404(client):
    page = client.get("/s/not-a-real-token-at-all/")
    assert page.status_code == 404
    html = page.content.decode()
    assert "does not exist" in html or "不存在" in html
    assert "token" not in html.lower() and "expired" not in html.lower()


def test_an_expired_link_says_so_and_is_marked(client, wave, cardiology):
    invitation = invite(wave, department=cardiology, expires_in=dt.timedelta(hours=-1))
    page = client.get(url(invitation, lang="en"))
    assert page.status_code == 410 and "This invitation has expired." in page.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.EXPIRED


def test_a_second_submission_is_refused_clearly(client, invitation):
    post(client, invitation, 1, q1=5, q2=1, q3=4)
    assert post(client, invitation, 2, action="submit", nps=9).status_code == 302
    again = post(client, invitation, 2, action="submit", nps=9)
    assert again.status_code == 409 and "already been answered" in again.content.decode()
    assert Response.objects.count() == 1


def test_posts_are_rate_limited_per_token(client, invitation, settings):
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SURVEY_RATE_LIMITS": {"post_per_token": 3}}
    codes = [post(client, invitation, 1, action="save", q1=4).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    limited = post(client, invitation, 1, action="save", q1=4)
    assert "Too many requests" in limited.content.decode() and int(limited["Retry-After"]) > 0
