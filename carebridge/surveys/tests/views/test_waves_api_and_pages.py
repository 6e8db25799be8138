"""The wave API and pages: drafts, draw/open/close, stats, invitations (masked, scoped), QR sheets."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from carebridge.core.models import AuditEvent
from carebridge.core.tests.support.i18n import shown
from carebridge.surveys.choices import ExclusionReason
from carebridge.surveys.domain.qr import qr_matrix, qr_svg
from carebridge.surveys.models import Invitation, Wave
from carebridge.surveys.services.draws import wave_draw
from carebridge.surveys.services.waves import wave_transition
from carebridge.surveys.tests.factories import published_version
from carebridge.surveys.tests.support.waves import at, discharge, make_wave

pytestmark = pytest.mark.django_db

DRAW = at(4, 2, 15)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def two_waves(hospital, cardiology, paediatrics, quality_officer_qian):
    """A cardiology wave and a paediatrics wave, drawn, each with two invitees; QR cards on paper."""
    waves = {}
    for department in (cardiology, paediatrics):
        for day in (10, 12):
            discharge(department, at(3, day))
        wave = make_wave(
            hospital, quality_officer_qian, departments=[department], channels=["qr"], name=department.code
        )
        wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
        wave_transition(wave=wave, to="open", actor=quality_officer_qian)
        waves[department.code] = wave
    return waves


def test_the_quality_office_plans_a_draft_through_the_api_and_bad_input_changes_nothing(
    api_client, hospital, cardiology, quality_officer_qian
):
    version = published_version(hospital=hospital)
    client = api_client(quality_officer_qian)
    bad = client.post(
        "/api/v1/surveys/waves/",
        {"name": "x", "version": version.pk, "population": "inpatients_discharged", "departments": ["NOPE"]},
        format="json",
    )
    assert bad.status_code == 400 and "departments" in bad.json()
    refused = client.post(
        "/api/v1/surveys/waves/",
        {
            "name": "x",
            "version": version.pk,
            "population": "inpatients_discharged",
            "sampling": "simple_random",
        },
        format="json",
    )
    assert refused.status_code == 400 and {"period_start", "sample_size"} <= set(refused.json())
    assert not Wave.objects.exists()
    created = client.post(
        "/api/v1/surveys/waves/",
        {
            "name": "三月出院",
            "version": version.pk,
            "population": "inpatients_discharged",
            "departments": ["CARD"],
            "period_start": "2025-03-01",
            "period_end": "2025-03-31",
            "sampling": "stratified",
            "strata": [{"key": "CARD", "target": 10, "quota": 6}],
            "reminder_days": [3, 7],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "draft" and body["strata"][0]["quota"] == 6 and body["departments"] == ["CARD"]
    patched = client.patch(f"/api/v1/surveys/waves/{body['id']}/", {"seed": 99}, format="json")
    assert (
        patched.status_code == 200
        and patched.json()["seed"] == 99
        and patched.json()["reminder_days"] == [3, 7]
    )
    assert client.delete(f"/api/v1/surveys/waves/{body['id']}/").status_code == 204
    assert not Wave.objects.exists()


@time_machine.travel(DRAW, tick=False)
def test_draw_open_stats_and_close_through_the_api(api_client, hospital, cardiology, quality_officer_qian):
    discharge(cardiology, at(3, 20))
    discharge(cardiology, at(3, 21), survey_consent=False)
    wave = make_wave(hospital, quality_officer_qian)
    client = api_client(quality_officer_qian)
    drawn = client.post(f"/api/v1/surveys/waves/{wave.pk}/draw/")
    assert drawn.status_code == 200 and drawn.json()["invited"] == 1
    assert drawn.json()["excluded"] == {"no_survey_consent": 1}
    assert client.post(f"/api/v1/surveys/waves/{wave.pk}/draw/").json()["repeat"] is True
    assert client.patch(f"/api/v1/surveys/waves/{wave.pk}/", {"seed": 1}, format="json").status_code == 400
    assert client.post(f"/api/v1/surveys/waves/{wave.pk}/open/").json()["status"] == "open"
    Invitation.objects.filter(wave=wave).update(status="completed", completed_at=DRAW)
    stats = client.get(f"/api/v1/surveys/waves/{wave.pk}/stats/").json()
    assert (stats["drawn"], stats["invited"], stats["completed"], stats["response_rate"]) == (1, 1, 1, 1.0)
    assert stats["excluded"] == [
        {"reason": "no_survey_consent", "label": shown(ExclusionReason.NO_SURVEY_CONSENT.label), "count": 1}
    ]
    assert client.post(f"/api/v1/surveys/waves/{wave.pk}/close/").json()["status"] == "closed"
    reopen = client.post(f"/api/v1/surveys/waves/{wave.pk}/open/", {}, format="json")
    assert reopen.status_code == 400 and "reason" in reopen.json()


def test_the_invitation_list_is_masked_and_never_shows_the_token(api_client, two_waves, quality_officer_qian):
    wave = two_waves["CARD"]
    response = api_client(quality_officer_qian).get(f"/api/v1/surveys/waves/{wave.pk}/invitations/")
    assert response.status_code == 200 and response.json()["count"] == 2
    text = response.content.decode()
    for invitation in Invitation.objects.filter(wave=wave).select_related("patient"):
        assert invitation.token not in text and invitation.patient.name not in text
    assert re.search(r"张\*\* ···\d{4}", text)


def test_a_paediatric_ward_manager_cannot_see_a_cardiology_wave_or_its_invitations(
    api_client, two_waves, ward_manager_wang
):
    client = api_client(ward_manager_wang)
    card, pedi = two_waves["CARD"], two_waves["PEDI"]
    assert client.get(f"/api/v1/surveys/waves/{card.pk}/invitations/").status_code == 404
    assert client.get(f"/api/v1/surveys/waves/{card.pk}/").status_code == 404
    assert client.get(f"/api/v1/surveys/waves/{pedi.pk}/invitations/").json()["count"] == 2
    assert [w["id"] for w in client.get("/api/v1/surveys/waves/").json()["results"]] == [pedi.pk]
    assert client.post(f"/api/v1/surveys/waves/{pedi.pk}/draw/").status_code == 403  # reading only
    page = _client(ward_manager_wang)
    assert page.get(f"/surveys/waves/{card.pk}/invitations/").status_code == 404
    assert page.get(f"/surveys/waves/{card.pk}/qr/").status_code == 404


def test_the_executive_sees_counts_but_no_invitations(api_client, two_waves, executive_zhao):
    wave = two_waves["CARD"]
    client = api_client(executive_zhao)
    assert client.get(f"/api/v1/surveys/waves/{wave.pk}/stats/").status_code == 200
    assert client.get(f"/api/v1/surveys/waves/{wave.pk}/invitations/").status_code == 403


def test_the_dashboard_page_shows_the_funnel_the_reasons_and_the_chart(
    hospital, cardiology, quality_officer_qian
):
    discharge(cardiology, at(3, 20))
    discharge(cardiology, at(3, 20), deceased_at=at(3, 22))
    wave = make_wave(
        hospital, quality_officer_qian, sampling="stratified", sample_size=1, departments=[cardiology]
    )
    wave_draw(wave=wave, actor=quality_officer_qian, now=DRAW)
    client = _client(quality_officer_qian)
    html = client.get(f"/surveys/waves/{wave.pk}/").content.decode()
    assert 'data-count="invited">1<' in html and 'data-reason="deceased"' in html
    # The funnel reads top down: the people looked at = excluded + drawn; drawn − withdrawn = invited.
    assert 'data-count="considered">2<' in html and 'data-count="excluded">1<' in html
    assert 'data-count="drawn">1<' in html and 'data-count="withdrawn">0<' in html
    assert 'data-stratum="CARD"' in html and "bar-chart" in html and "echarts.min.js" in html
    listing = client.get("/surveys/waves/").content.decode()
    assert wave.name in listing


@time_machine.travel(DRAW, tick=False)
def test_the_wave_form_creates_a_draft_and_shows_errors_without_saving(
    hospital, cardiology, quality_officer_qian
):
    version = published_version(hospital=hospital)
    client = _client(quality_officer_qian)
    page = client.get("/surveys/waves/new/")
    assert page.status_code == 200
    assert 'name="departments"' in page.content.decode() and 'data-picker="multi"' in page.content.decode()
    form = {
        "name": "四月出院",
        "version": version.pk,
        "population": "inpatients_discharged",
        "respondent_class": "patient",
        "departments": [cardiology.pk],
        "period_start": "2025-04-01",
        "period_end": "2025-03-01",
        "stratify_by": "department",
        "sampling": "census",
        "seed": 1,
        "min_hours_after_discharge": 48,
        "max_days_after_discharge": 42,
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        "min_days_between_surveys": 30,
        "channels": ["sms", "qr"],
        "min_report_group": 5,
        "invitation_valid_days": 14,
        "reminder_days": "3，7",
    }
    refused = client.post("/surveys/waves/new/", form)
    assert refused.status_code == 400 and "The period ends before it starts." in refused.content.decode()
    assert not Wave.objects.exists()
    created = client.post("/surveys/waves/new/", {**form, "period_end": "2025-04-30"})
    wave = Wave.objects.get()
    assert created.status_code == 302 and created.url == f"/surveys/waves/{wave.pk}/"
    assert wave.reminder_days == [3, 7] and wave.channels == ["sms", "qr"]
    assert client.post(f"/surveys/waves/{wave.pk}/draw/").status_code == 302
    assert client.post(f"/surveys/waves/{wave.pk}/transition/", {"to": "open"}).status_code == 302
    wave.refresh_from_db()
    assert wave.status == "open"


def test_the_qr_sheet_prints_one_card_per_invitation_with_the_link_and_is_audited(
    two_waves, ward_manager_wang, paediatrics
):
    wave = two_waves["PEDI"]
    client = _client(ward_manager_wang)
    html = client.get(f"/surveys/waves/{wave.pk}/qr/").content.decode()
    tokens = list(Invitation.objects.filter(wave=wave).values_list("token", flat=True))
    assert html.count("<svg") == 2 and all(f"/s/{token}/" in html for token in tokens)
    assert "Personal Information Protection Law" in html
    pdf = client.get(f"/surveys/waves/{wave.pk}/qr/?format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    ward = Invitation.objects.filter(wave=wave).first().ward
    one_ward = client.get(f"/surveys/waves/{wave.pk}/qr/?ward={ward.pk}").content.decode()
    assert one_ward.count("<svg") == 1
    assert AuditEvent.objects.filter(action="surveys.qr_sheet_print", object_id=str(wave.pk)).count() == 3
    assert client.get(f"/surveys/waves/{wave.pk}/qr/?ward=abc").status_code == 400


def test_the_qr_code_draws_exactly_the_modules_of_the_link():
    link = "https://survey.example.cn/s/abcdefghijklmnopqrstuvwxyz012345/"
    svg = qr_svg(link, size_mm=30, title=link)
    assert 'width="30mm"' in svg and 'aria-label="https://survey.example.cn' in svg
    squares = {tuple(map(int, m)) for m in re.findall(r"M(\d+),(\d+)H", svg)}
    dark = {(x, y) for y, row in enumerate(qr_matrix(link)) for x, cell in enumerate(row) if cell}
    assert squares == dark
    assert qr_svg(link) == qr_svg(link)  # deterministic
