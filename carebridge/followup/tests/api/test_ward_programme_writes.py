"""Writing through the programme API: a daily sync, a meeting, a stay plan and the closing of its items.
Each is validated (400 with field errors, nothing written), kept to the caller's scope (a department
outside it: 403; a care plan outside it: 404), needs the add permission (403), and answers masked."""

from __future__ import annotations

import pytest
import time_machine

from carebridge.core.tests.factories import StaffFactory
from carebridge.followup.models import StayItemTransition, StayPlan, WardMeeting, WardSync
from carebridge.followup.tests.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(at(2026, 3, 3, 17), tick=False):
        yield


def test_a_sync_is_recorded_for_the_callers_department_only(
    api_client, ward_manager_wang, clinician_zhou, paediatrics, cardiology
):
    client = api_client(ward_manager_wang)
    staff = ward_manager_wang.staff
    body = {
        "department": paediatrics.pk,
        "held_on": "2026-03-03",
        "project_manager": staff.pk,
        "attendees": [staff.pk],
        "issues": [{"text": "家属电话 13812345678 反映噪音", "owner": staff.pk}],
        "notes": "身份证 110101199003074578",
    }
    created = client.post("/api/v1/followup/syncs/", body, format="json")
    assert created.status_code == 201, created.json()
    row = created.json()
    assert (
        row["issues"][0]["text"] == "家属电话 138****5678 反映噪音" and row["issues"][0]["owner"] == staff.pk
    )
    assert "110101199003074578" not in row["notes"]
    assert client.post("/api/v1/followup/syncs/", body, format="json").status_code == 400  # same day
    outside = client.post("/api/v1/followup/syncs/", {**body, "department": cardiology.pk}, format="json")
    assert outside.status_code == 403
    refused = client.post("/api/v1/followup/syncs/", {**body, "held_on": "", "issues": [{}]}, format="json")
    assert refused.status_code == 400 and {"held_on", "issues"} <= set(refused.json())
    assert api_client(clinician_zhou).post("/api/v1/followup/syncs/", body, format="json").status_code == 403
    assert WardSync.objects.count() == 1


def test_a_meeting_is_recorded_with_its_decisions_masked(
    api_client, quality_officer_qian, clinician_zhou, hospital
):
    client = api_client(quality_officer_qian)
    body = {
        "kind": "family_forum",
        "held_on": "2026-03-02",
        "title": "家属座谈会",
        "chaired_by": quality_officer_qian.staff.pk,
        "attendance": 12,
        "minutes": "家属反映探视时间过短",
        "decisions": ["回电 13912345678 的家属", "延长周末探视"],
    }
    created = client.post("/api/v1/followup/meetings/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["decisions"] == ["回电 139****5678 的家属", "延长周末探视"]
    assert WardMeeting.objects.get().hospital == hospital
    bad = client.post(
        "/api/v1/followup/meetings/", {**body, "kind": "party", "attendance": -1}, format="json"
    )
    assert bad.status_code == 400 and {"kind", "attendance"} <= set(bad.json())
    future = client.post("/api/v1/followup/meetings/", {**body, "held_on": "2026-04-01"}, format="json")
    assert future.status_code == 400 and "held_on" in future.json()
    assert (
        api_client(clinician_zhou).post("/api/v1/followup/meetings/", body, format="json").status_code == 403
    )
    assert WardMeeting.objects.count() == 1


@pytest.fixture
def agreeing(hospital, paediatrics, doctors):
    """The paediatric doctor and a nurse of the ward, who agree a stay plan."""
    nurse = StaffFactory(hospital=hospital, name="赵护士", kind="nurse", home_department=paediatrics)
    return doctors.pedi, nurse


def test_a_stay_plan_is_agreed_for_a_care_plan_in_scope_and_its_items_closed(
    api_client, stay, agreeing, ward_manager_wang, clinician_zhou
):
    doctor, nurse = agreeing
    plan = stay(started_at=at(2026, 3, 2, 9))
    elsewhere = stay(department="card", started_at=at(2026, 3, 2, 9))
    client = api_client(ward_manager_wang)
    body = {
        "care_plan": plan.pk,
        "doctor": doctor.pk,
        "nurse": nurse.pk,
        "items": [{"text": "解释检查安排"}, {"text": "联系家属 13712345678"}],
    }
    assert (
        client.post("/api/v1/followup/stay-plans/", {**body, "items": []}, format="json").status_code == 400
    )
    same = client.post("/api/v1/followup/stay-plans/", {**body, "nurse": doctor.pk}, format="json")
    assert same.status_code == 400 and "nurse" in same.json()
    outside = client.post("/api/v1/followup/stay-plans/", {**body, "care_plan": elsewhere.pk}, format="json")
    assert outside.status_code == 404
    assert not StayPlan.objects.exists()
    created = client.post("/api/v1/followup/stay-plans/", body, format="json")
    assert created.status_code == 201, created.json()
    row = created.json()
    assert row["items_total"] == 2 and "13712345678" not in str(row) and plan.patient.mrn not in str(row)
    assert (
        api_client(clinician_zhou).post("/api/v1/followup/stay-plans/", body, format="json").status_code
        == 403
    )

    url = f"/api/v1/followup/stay-plans/{row['id']}/close-item/"
    item = StayPlan.objects.get().items.get(sequence=2)
    assert client.post(url, {"item": item.pk, "to": "dropped"}, format="json").status_code == 400
    closed = client.post(
        url, {"item": item.pk, "to": "dropped", "note": "家属 13712345678 拒绝"}, format="json"
    )
    assert closed.status_code == 200
    history = closed.json()["history"]
    assert [(h["item"], h["from_status"], h["to_status"]) for h in history] == [(2, "open", "dropped")]
    assert "13712345678" not in str(closed.json())
    assert StayItemTransition.objects.count() == 1
    assert client.post(url, {"item": item.pk, "to": "done"}, format="json").status_code == 400
