"""The follow-up API and pages under the data scope, the telephony webhook (secret, idempotency, screen
pop, recordings), the patient timeline and the handover provider."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from carebridge.core.timeline import timeline_for
from carebridge.followup.models import CallAttempt, TelephonyCall, Touchpoint
from carebridge.followup.tests.factories import at
from carebridge.followup.tests.support.clients import client_for
from carebridge.frontdesk.domain.carryover import carried_items

pytestmark = pytest.mark.django_db
NOW = at(2026, 3, 10, 10)
WEBHOOK = "/api/v1/followup/telephony/events/"


@pytest.fixture
def plans(stay, discharge, ward_manager_wang):
    return {
        "pedi": discharge(stay("pedi", codes=["J18.9"], critical=True), when=at(2026, 3, 9, 15)),
        "card": discharge(stay("card", codes=["I21.0"]), when=at(2026, 3, 9, 16)),
    }


def test_a_paediatric_ward_manager_gets_404_for_a_cardiology_plan_in_pages_and_api(
    plans, ward_manager_wang, api_client
):
    page = client_for(ward_manager_wang)
    assert page.get(f"/followup/plans/{plans['pedi'].pk}/").status_code == 200
    assert page.get(f"/followup/plans/{plans['card'].pk}/").status_code == 404
    call = plans["card"].touchpoints.get(kind="follow_up_call", sequence=1)
    assert page.get(f"/followup/calls/{call.pk}/").status_code == 404
    api = api_client(ward_manager_wang)
    assert api.get(f"/api/v1/followup/plans/{plans['card'].pk}/").status_code == 404
    assert api.get(f"/api/v1/followup/touchpoints/{call.pk}/").status_code == 404
    listed = api.get("/api/v1/followup/plans/").json()
    assert [row["id"] for row in listed["results"]] == [plans["pedi"].pk]


def test_the_agent_sees_every_plan_and_filters_by_tier_and_status(plans, agent_ann, api_client):
    api = api_client(agent_ann)
    assert api.get("/api/v1/followup/plans/").json()["count"] == 2
    rows = api.get("/api/v1/followup/plans/", {"tier": "A", "department": "CARD"}).json()["results"]
    assert [row["id"] for row in rows] == [plans["card"].pk]
    detail = api.get(f"/api/v1/followup/plans/{plans['card'].pk}/").json()
    assert detail["tier_facts"]["icd10"] == ["I210"] and len(detail["touchpoints"]) == 5
    page = client_for(agent_ann).get("/followup/plans/", {"ward": plans["pedi"].ward_id})
    assert page.status_code == 200 and plans["pedi"].patient.name in page.content.decode()


def test_the_touchpoint_list_puts_one_with_no_due_moment_last_on_every_database(plans, agent_ann, api_client):
    undated = plans["pedi"].touchpoints.order_by("id").first()
    Touchpoint.objects.filter(pk=undated.pk).update(due_at=None)
    rows = api_client(agent_ann).get("/api/v1/followup/touchpoints/").json()["results"]
    dated = Touchpoint.objects.exclude(pk=undated.pk).order_by("due_at", "id").values_list("pk", flat=True)
    assert [row["id"] for row in rows] == [*dated, undated.pk]


def test_an_ordering_asked_for_puts_empty_values_where_postgresql_does_on_every_database(
    plans, agent_ann, api_client
):
    undated = plans["pedi"].touchpoints.order_by("id").first()
    Touchpoint.objects.filter(pk=undated.pk).update(due_at=None)
    api = api_client(agent_ann)
    dated = list(
        Touchpoint.objects.exclude(pk=undated.pk).order_by("due_at", "id").values_list("pk", flat=True)
    )
    rows = api.get("/api/v1/followup/touchpoints/", {"ordering": "due_at,id"}).json()["results"]
    assert [row["id"] for row in rows] == [*dated, undated.pk]  # ascending: last
    latest = list(
        Touchpoint.objects.exclude(pk=undated.pk).order_by("-due_at", "id").values_list("pk", flat=True)
    )
    rows = api.get("/api/v1/followup/touchpoints/", {"ordering": "-due_at,id"}).json()["results"]
    assert [row["id"] for row in rows] == [undated.pk, *latest]  # descending: first
    rows = api.get("/api/v1/followup/touchpoints/", {"ordering": "title"}).json()["results"]
    assert [row["id"] for row in rows] == [*dated, undated.pk]  # a field not offered: the list's own order


def test_an_outsider_and_a_leader_get_no_plans(plans, outsider, executive_zhao, api_client):
    assert api_client(outsider).get("/api/v1/followup/plans/").status_code == 403
    assert api_client(executive_zhao).get("/api/v1/followup/plans/").status_code == 403
    assert client_for(executive_zhao).get(f"/followup/plans/{plans['pedi'].pk}/").status_code == 403


def test_the_queue_api_claims_records_an_outcome_and_raises_a_complaint(plans, agent_ann, api_client):
    api = api_client(agent_ann)
    with time_machine.travel(NOW, tick=False):
        queue = api.get("/api/v1/followup/queue/").json()
        assert [row["tier"] for row in queue] == ["A", "A"]
        claimed = api.post("/api/v1/followup/queue/next/").json()
        assert claimed["claimed_by"] == "ann"
        bad = api.post(
            "/api/v1/followup/calls/", {"touchpoint": claimed["id"], "outcome": "sent"}, format="json"
        )
        assert bad.status_code == 400 and "outcome" in bad.json()
        made = api.post(
            "/api/v1/followup/calls/",
            {"touchpoint": claimed["id"], "outcome": "reached", "answers": {"health_status": "好"}},
            format="json",
        )
        assert made.status_code == 201 and made.json()["phone"].startswith("138****")
        issue = api.post(
            f"/api/v1/followup/calls/{made.json()['id']}/issues/",
            {"kind": "complaint", "text": "出院带药没有讲清楚用法"},
            format="json",
        )
    assert issue.status_code == 201 and issue.json()["complaint_reference"].startswith("TS")
    touchpoint = api.get(f"/api/v1/followup/touchpoints/{claimed['id']}/").json()
    assert touchpoint["status"] == "done" and touchpoint["attempts"][0]["issues"][0]["kind"] == "complaint"


def test_the_queue_lists_a_call_with_no_due_moment_last_and_the_claim_takes_the_dated_one(
    plans, agent_ann, api_client
):
    """On every database (SQLite alone would put the undated call first)."""
    dated = plans["card"].touchpoints.get(kind="follow_up_call", sequence=1)
    undated = plans["pedi"].touchpoints.get(kind="follow_up_call", sequence=1)
    Touchpoint.objects.filter(pk=undated.pk).update(due_at=None)
    api = api_client(agent_ann)
    with time_machine.travel(NOW, tick=False):
        assert [row["id"] for row in api.get("/api/v1/followup/queue/").json()] == [dated.pk, undated.pk]
        assert api.post("/api/v1/followup/queue/next/").json()["id"] == dated.pk


def test_closing_a_tier_a_call_by_api_is_a_400_with_the_reason(plans, admin_sun, api_client):
    call = plans["card"].touchpoints.get(kind="follow_up_call", sequence=1)
    response = api_client(admin_sun).post(
        f"/api/v1/followup/touchpoints/{call.pk}/close/",
        {"to": "cancelled", "reason": "家属不愿"},
        format="json",
    )
    with translation.override("zh-hans"):  # the API answers in the interface language (Chinese by default)
        reason = gettext(
            "A tier-A follow-up cannot be closed before the patient is reached or the whole "
            "escalation chain (phone, message, home visit or letter) has been tried."
        )
    assert response.status_code == 400 and response.json()["to"] == [reason]


def test_re_tier_by_api_and_config_reads(plans, ward_manager_wang, api_client):
    api = api_client(ward_manager_wang)
    response = api.post(f"/api/v1/followup/plans/{plans['pedi'].pk}/retier/", {"tier": "B"}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api.post(
        f"/api/v1/followup/plans/{plans['pedi'].pk}/retier/",
        {"tier": "B", "reason": "病情稳定"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["tier"] == "B"
    tiers = api.get("/api/v1/followup/tiers/").json()["results"]
    assert [(t["code"], [w["amount"] for w in t["windows"]]) for t in tiers] == [
        ("A", [3, 30]),
        ("B", [7]),
        ("C", [30]),
    ]
    assert api.get("/api/v1/followup/tier-rules/").json()["count"] >= 5
    assert api.get("/api/v1/followup/policies/").json()["results"][0]["calling_start"] == "08:30:00"


def _event(api, secret="test-secret", **body):  # noqa: S107 - the test settings value
    return api.post(WEBHOOK, body, format="json", HTTP_X_TELEPHONY_SECRET=secret)


def test_the_webhook_refuses_a_wrong_or_missing_secret(plans, api_client):
    api = api_client()
    assert _event(api, secret="nope", event="ringing", call_id="c1").status_code == 403
    assert api.post(WEBHOOK, {"event": "ringing", "call_id": "c1"}, format="json").status_code == 403
    assert not TelephonyCall.objects.exists()


def test_the_webhook_is_idempotent_pops_the_caller_and_attaches_the_recording(plans, agent_ann, api_client):
    api = api_client()
    patient = plans["card"].patient
    number = patient.phones.get().number
    first = _event(api, event="ringing", call_id="c-77", caller=number, agent="ann")
    again = _event(api, event="ringing", call_id="c-77", caller=number, agent="ann")
    assert (first.status_code, again.status_code) == (201, 200) and again.json()["duplicate"] is True
    assert (
        TelephonyCall.objects.get().patient == patient
        and first.json()["caller"] == number[:3] + "****" + number[-4:]
    )
    pop = client_for(agent_ann).get("/followup/screen-pop/").content.decode()
    assert f"/patients/{patient.pk}/" in pop and number not in pop

    call = plans["card"].touchpoints.get(kind="follow_up_call", sequence=1)
    api_client(agent_ann).post(
        "/api/v1/followup/calls/", {"touchpoint": call.pk, "outcome": "reached"}, format="json"
    )
    ended = {
        "event": "ended",
        "call_id": "c-77",
        "recording_url": "https://pbx.example/rec/77.mp3",
        "duration_seconds": 185,
    }
    assert _event(api, **ended).status_code == 201
    assert _event(api, **ended).status_code == 200
    attempt = CallAttempt.objects.get(touchpoint=call)
    assert (attempt.call_id, attempt.recording_url, attempt.duration_seconds) == (
        "c-77",
        "https://pbx.example/rec/77.mp3",
        185,
    )
    assert client_for(agent_ann).get("/followup/screen-pop/").content.decode().strip() == ""


def test_the_webhook_refuses_an_unknown_event(api_client):
    assert _event(api_client(), event="exploded", call_id="c1").status_code == 400


def test_the_patient_timeline_and_the_handover_show_follow_up(plans, agent_ann, ward_manager_wang):
    from carebridge.followup.services.calls import call_record
    from carebridge.followup.services.queue import call_claim

    call = plans["pedi"].touchpoints.get(kind="follow_up_call", sequence=1)
    with time_machine.travel(NOW, tick=False):
        call_record(touchpoint=call, actor=agent_ann, outcome="no_answer")
        call_claim(touchpoint=call, actor=agent_ann, now=timezone.now() + dt.timedelta(hours=3))
    entries = timeline_for(plans["pedi"].patient, ward_manager_wang)
    assert any(e.kind == "followup.attempt" for e in entries)
    assert not timeline_for(plans["card"].patient, ward_manager_wang)
    items = carried_items(plans["pedi"].hospital, NOW + dt.timedelta(hours=3, minutes=5))
    assert [i.object_key for i in items if i.kind == "call"] == [str(call.pk)]
