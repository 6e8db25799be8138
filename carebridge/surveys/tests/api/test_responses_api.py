"""The response API (scoped lists, phone/paper entry) and the public answering API (no login)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from carebridge.core.tests.support.i18n import shown
from carebridge.surveys.choices import InvitationStatus, ResponseMode
from carebridge.surveys.models import Response
from carebridge.surveys.services.responses import response_submit
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

pytestmark = pytest.mark.django_db

LIST = "/api/v1/surveys/responses/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def wave(hospital, quality_officer_qian):
    return open_wave(hospital=hospital, owner=quality_officer_qian)


def submit(invitation, answers=GOOD):
    return response_submit(
        invitation=invitation, answers=answers, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
    )


def test_lists_are_scoped_to_the_users_departments(
    api_client, wave, cardiology, paediatrics, ward_manager_wang
):
    submit(invite(wave, department=cardiology))
    submit(invite(wave, department=paediatrics))
    everything = api_client(wave.owner).get(LIST).json()
    assert everything["count"] == 2 and "patient" not in everything["results"][0]
    ward_manager_wang.user_permissions.add(*_perm("view_response"))
    wang = api_client(ward_manager_wang).get(LIST).json()
    assert [row["department"] for row in wang["results"]] == ["PEDI"]
    assert api_client(wave.owner).get(LIST, {"department": "CARD"}).json()["count"] == 1


def test_outsiders_and_anonymous_callers_see_nothing(api_client, outsider):
    assert api_client(outsider).get(LIST).status_code == 403
    assert api_client().get(LIST).status_code in (401, 403)


def _perm(codename):
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename=codename, content_type__app_label="surveys")


def test_an_agent_enters_a_phone_interview(api_client, wave, cardiology, agent_ann):
    invitation = invite(wave, department=cardiology, channel="phone")
    started = timezone.now() - dt.timedelta(minutes=6)
    body = {"invitation": invitation.pk, "mode": "phone", "answers": GOOD, "started_at": started.isoformat()}
    created = api_client(agent_ann).post(LIST, body, format="json")
    assert created.status_code == 201, created.content
    response = Response.objects.get()
    assert (
        response.mode == "phone"
        and response.interviewer == agent_ann
        and 355 <= response.duration_seconds <= 400
    )
    again = api_client(agent_ann).post(LIST, body, format="json")
    assert again.status_code == 400 and shown(
        "This questionnaire has already been answered. Thank you!"
    ) in str(again.json())


def test_entries_are_validated_per_item(api_client, wave, cardiology, agent_ann):
    invitation = invite(wave, department=cardiology, channel="paper")
    bad = api_client(agent_ann).post(
        LIST, {"invitation": invitation.pk, "mode": "paper", "answers": {"q1": 8}}, format="json"
    )
    assert bad.status_code == 400 and set(bad.json()) == {"q1", "nps"}
    assert (
        api_client(agent_ann)
        .post(LIST, {"invitation": 0, "mode": "fax", "answers": {}}, format="json")
        .status_code
        == 400
    )
    assert not Response.objects.exists()


def test_a_ward_manager_cannot_enter_responses(api_client, wave, paediatrics, ward_manager_wang):
    invitation = invite(wave, department=paediatrics, channel="phone")
    denied = api_client(ward_manager_wang).post(
        LIST, {"invitation": invitation.pk, "mode": "phone", "answers": GOOD}, format="json"
    )
    assert denied.status_code == 403


def test_the_public_api_serves_the_questionnaire_in_the_requested_language(wave, cardiology):
    invitation = invite(wave, department=cardiology)
    body = APIClient().get(f"/api/public/surveys/{invitation.token}/", {"lang": "en"}).json()
    assert body["title"] == "Short satisfaction survey" and body["language"] == "en"
    assert [page["code"] for page in body["pages"]] == ["care", "overall", "about"]
    q1 = body["pages"][0]["items"][0]
    assert (
        q1["text"] == "Did the doctor explain your condition clearly?" and q1["choices"][-1]["value"] == "na"
    )
    assert len(body["privacy"]) == 4


def test_the_public_api_saves_drafts_and_submits_once_without_login_or_csrf(wave, cardiology):
    invitation = invite(wave, department=cardiology)
    client = APIClient(enforce_csrf_checks=True)
    base = f"/api/public/surveys/{invitation.token}/"
    saved = client.post(base + "draft/", {"answers": {"q1": 4}, "page": 1}, format="json")
    assert saved.status_code == 200 and saved.json() == {"status": "saved", "page": 1}
    assert client.get(base).json()["draft"] == {"q1": 4}
    bad = client.post(base + "submit/", {"answers": {"q1": 4}, "language": "en"}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"]["nps"] == ["Please answer this question."]
    assert client.post(base + "submit/", {"answers": GOOD}, format="json").status_code == 201
    again = client.post(base + "submit/", {"answers": GOOD}, format="json")
    assert again.status_code == 409 and again.json()["reason"] == "already_answered"
    assert Response.objects.count() == 1


def test_the_public_api_refuses_forged_and_expired_tokens(wave, cardiology):
    assert APIClient().get("/api/public/surveys/forged-token/").status_code == 404
    assert (
        APIClient()
        .post("/api/public/surveys/forged-token/submit/", {"answers": GOOD}, format="json")
        .status_code
        == 404
    )
    expired = invite(wave, department=cardiology, expires_in=dt.timedelta(minutes=-1))
    gone = APIClient().post(f"/api/public/surveys/{expired.token}/submit/", {"answers": GOOD}, format="json")
    assert gone.status_code == 410 and gone.json()["reason"] == "expired"
    expired.refresh_from_db()
    assert expired.status == InvitationStatus.EXPIRED


def test_the_public_api_is_throttled(wave, cardiology, settings):
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SURVEY_RATE_LIMITS": {"post_per_ip": 2}}
    invitation = invite(wave, department=cardiology)
    base = f"/api/public/surveys/{invitation.token}/draft/"
    codes = [APIClient().post(base, {"answers": {}}, format="json").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
