"""API of inquiries, escorts, handovers and work logs: shapes, 400s with field errors, scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from carebridge.complaints.tests.support.clock import at
from carebridge.core.tests.factories import StaffFactory
from carebridge.frontdesk.models import Escort, Handover, Inquiry
from carebridge.frontdesk.services.handover import handovers_open_due
from carebridge.frontdesk.tests.factories import EscortFactory, InquiryFactory
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(api_client):
    """The desk's API client, asking for English answers (messages are asserted in the source language)."""

    def make(user=None):
        client = api_client(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def test_an_agent_records_an_inquiry_and_reads_it_back(api_client, agent_ann, cardiology):
    response = api_client(agent_ann).post(
        "/api/v1/inquiries/",
        {
            "channel": "phone",
            "category": "recommendation",
            "question": "胸闷看哪个科？",
            "answer": "心内科",
            "recommended_department": "CARD",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["recommended_department"] == "CARD" and body["received_by"] == "ann"
    assert body["response_seconds"] is not None and body["answered_by"] == "ann"
    listed = api_client(agent_ann).get("/api/v1/inquiries/").json()
    assert listed["results"][0]["id"] == body["id"] if "results" in listed else listed[0]["id"] == body["id"]


def test_bad_inquiries_get_400_with_field_errors(api_client, agent_ann, hospital, cardiology):
    client = api_client(agent_ann)
    shape = client.post("/api/v1/inquiries/", {"channel": "fax", "question": ""}, format="json")
    assert shape.status_code == 400 and set(shape.json()) >= {"channel", "category", "question"}
    unknown = client.post(
        "/api/v1/inquiries/",
        {"channel": "phone", "category": "other", "question": "?", "recommended_department": "NOPE"},
        format="json",
    )
    assert unknown.status_code == 400 and "recommended_department" in unknown.json()
    outside = PatientFactory(hospital=hospital)
    EncounterFactory(patient=outside, department=cardiology)
    assert not Inquiry.objects.exists()
    answered = InquiryFactory(hospital=hospital, received_by=agent_ann)
    twice = client.post(f"/api/v1/inquiries/{answered.pk}/answer/", {"answer": "again"}, format="json")
    assert twice.status_code == 400 and "already answered" in twice.json()["answer"][0]


def test_inquiry_statistics_for_leaders_but_no_records(api_client, executive_zhao, agent_ann, hospital):
    InquiryFactory(
        hospital=hospital,
        received_by=agent_ann,
        category="fees",
        received_at=at(2026, 3, 3, 9),
        answered_at=at(2026, 3, 3, 9, 4),
    )
    client = api_client(executive_zhao)
    assert client.get("/api/v1/inquiries/").status_code == 403
    stats = client.get("/api/v1/inquiries/statistics/").json()
    fees = next(row for row in stats["category"] if row["key"] == "fees")
    assert (fees["count"], fees["median_seconds"]) == (1, 240.0)
    assert next(row for row in stats["hour"] if row["key"] == "09")["count"] == 1


def test_escort_api_life_cycle_and_illegal_move(api_client, agent_ann, hospital):
    porter = StaffFactory(hospital=hospital, kind="agent")
    client = api_client(agent_ann)
    when = (timezone.now() + dt.timedelta(hours=2)).isoformat()
    created = client.post(
        "/api/v1/escorts/",
        {
            "from_place": "急诊科",
            "to_place": "CT室",
            "scheduled_at": when,
            "mobility": "stretcher",
            "patient_name": "李奶奶",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    escort_id = created.json()["id"]
    assert created.json()["transitions"][0]["to_status"] == "requested"
    illegal = client.post(f"/api/v1/escorts/{escort_id}/transition/", {"to": "done"}, format="json")
    assert illegal.status_code == 400 and "cannot be moved to" in illegal.json()["to"][0]
    no_staff = client.post(
        f"/api/v1/escorts/{escort_id}/transition/", {"to": "assigned", "staff": 999999}, format="json"
    )
    assert no_staff.status_code == 400 and "staff" in no_staff.json()
    assigned = client.post(
        f"/api/v1/escorts/{escort_id}/transition/", {"to": "assigned", "staff": porter.pk}, format="json"
    )
    assert assigned.status_code == 200 and assigned.json()["assigned_to"] == porter.pk
    assert [t["to_status"] for t in assigned.json()["transitions"]] == ["requested", "assigned"]
    assert Escort.objects.get().status == "assigned"


def test_escorts_are_scoped(api_client, ward_manager_wang, clinician_zhou, agent_ann, paediatrics):
    EscortFactory(hospital=paediatrics.hospital, requested_by=agent_ann, department=paediatrics)
    assert api_client(ward_manager_wang).get("/api/v1/escorts/").json()["count"] == 1
    assert api_client(clinician_zhou).get("/api/v1/escorts/").json()["count"] == 0
    escort = Escort.objects.get()
    assert api_client(clinician_zhou).get(f"/api/v1/escorts/{escort.pk}/").status_code == 404


def test_handover_api_acknowledge_once(api_client, agent_ann, complaint_officer_li, hospital):
    InquiryFactory(
        hospital=hospital,
        received_by=agent_ann,
        received_at=at(2026, 3, 2, 15),
        answer="",
        answered_at=None,
        answered_by=None,
    )
    with time_machine.travel(at(2026, 3, 2, 17, 5), tick=False):
        handovers_open_due()
    handover = Handover.objects.get()
    detail = api_client(complaint_officer_li).get(f"/api/v1/handovers/{handover.pk}/").json()
    assert (
        detail["shift"] == "day"
        and detail["next_shift"] == "night"
        and detail["items"][0]["kind"] == "inquiry"
    )
    assert (
        api_client(complaint_officer_li).post(f"/api/v1/handovers/{handover.pk}/acknowledge/").status_code
        == 403
    )
    first = api_client(agent_ann).post(
        f"/api/v1/handovers/{handover.pk}/acknowledge/", {"note": "ok"}, format="json"
    )
    assert first.status_code == 200 and first.json()["acknowledged_by"] == "ann"
    again = api_client(agent_ann).post(f"/api/v1/handovers/{handover.pk}/acknowledge/", {}, format="json")
    assert again.status_code == 400 and "already acknowledged" in again.json()["status"][0]


def test_worklog_api_writes_my_log_and_refuses_a_future_day(api_client, agent_ann, hospital):
    InquiryFactory(hospital=hospital, received_by=agent_ann)
    client = api_client(agent_ann)
    today = timezone.localdate().isoformat()
    saved = client.post("/api/v1/worklogs/", {"day": today, "notes": "顺利"}, format="json")
    assert (
        saved.status_code == 200
        and saved.json()["inquiries_answered"] == 1
        and saved.json()["author"] == "ann"
    )
    future = client.post("/api/v1/worklogs/", {"day": "2999-01-01"}, format="json")
    assert future.status_code == 400 and "day" in future.json()
    assert client.post("/api/v1/worklogs/", {"day": "yesterday"}, format="json").status_code == 400
    assert client.get("/api/v1/worklogs/").json()["count"] == 1


def test_the_schema_documents_the_desk_work_endpoints(api_client, agent_ann):
    schema = api_client(agent_ann).get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/inquiries/",
        "/api/v1/inquiries/statistics/",
        "/api/v1/escorts/{id}/transition/",
        "/api/v1/handovers/{id}/acknowledge/",
        "/api/v1/worklogs/",
    ):
        assert path in schema
