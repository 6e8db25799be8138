"""The programme, enrolment, sync and meeting API: scoped lists, masked identifiers, leaving by API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.followup.choices import MeetingKind, StandaloneReason, TouchpointStatus
from carebridge.followup.models import Touchpoint
from carebridge.followup.services.programmes import programme_create, programme_enrol
from carebridge.followup.services.ward_programme import meeting_record, sync_record
from carebridge.patients.tests.factories import (
    DiagnosisFactory,
    EncounterFactory,
    PatientFactory,
    PhoneFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment(hospital, paediatrics):
    programme = programme_create(
        hospital=hospital,
        code="asthma",
        name="儿童哮喘管理项目",
        icd10_prefixes=["J45"],
        department=paediatrics,
        schedule=[{"day": 60, "kind": "call", "title": "回访"}],
        actor=None,
    )
    child = PatientFactory(hospital=hospital, name="小明", mrn="MRN00012345")
    PhoneFactory(patient=child, number="13912345678")
    DiagnosisFactory(
        encounter=EncounterFactory(patient=child, department=paediatrics), code="J45.9", category="J45"
    )
    return programme_enrol(programme=programme, patient=child, actor=None)


def test_enrolments_are_listed_with_a_masked_mrn_and_leaving_cancels_the_calls(
    api_client, agent_ann, enrolment
):
    client = api_client(agent_ann)
    rows = client.get("/api/v1/followup/enrolments/", {"status": "active"}).json()["results"]
    assert [(r["patient_mrn"], r["programme_name"]) for r in rows] == [("*******2345", "儿童哮喘管理项目")]
    assert "小明" not in str(rows)
    assert client.get("/api/v1/followup/enrolments/", {"status": "x"}).status_code == 400
    assert (
        client.post(f"/api/v1/followup/enrolments/{enrolment.pk}/leave/", {}, format="json").status_code
        == 400
    )
    left = client.post(
        f"/api/v1/followup/enrolments/{enrolment.pk}/leave/", {"reason": "转院"}, format="json"
    )
    assert left.status_code == 200 and left.json()["status"] == "left"
    call = Touchpoint.objects.get(reason=StandaloneReason.CHRONIC_RECALL)
    assert call.status == TouchpointStatus.CANCELLED
    assert len(client.get("/api/v1/followup/programmes/").json()["results"]) == 1


def test_syncs_and_meetings_are_scoped(api_client, ward_manager_wang, clinician_zhou, hospital, paediatrics):
    today = timezone.localdate()
    sync_record(
        department=paediatrics,
        held_on=today,
        project_manager=ward_manager_wang.staff,
        attendees=[ward_manager_wang.staff],
        issues=[{"text": "家属反映夜间噪音 13812345678", "owner": None}],
        actor=None,
    )
    meeting_record(
        hospital=hospital,
        kind=MeetingKind.PM_MEETING,
        held_on=today - dt.timedelta(days=1),
        title="项目经理例会",
        chaired_by=ward_manager_wang.staff,
        minutes="汇总本月回访",
        decisions=["统一出院宣教材料"],
        actor=None,
    )
    syncs = api_client(ward_manager_wang).get("/api/v1/followup/syncs/").json()["results"]
    assert syncs[0]["issues"][0]["text"] == "家属反映夜间噪音 138****5678"
    meetings = api_client(ward_manager_wang).get("/api/v1/followup/meetings/", {"kind": "pm_meeting"}).json()
    assert [m["title"] for m in meetings["results"]] == ["项目经理例会"]
    assert api_client(clinician_zhou).get("/api/v1/followup/syncs/").status_code == 403
