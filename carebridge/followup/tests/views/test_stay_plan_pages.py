"""Stay plans through the pages and the API: the project manager agrees one on the care plan's page, closes
an item, records the introduction checklist; the list exports to Excel with formula-like cells escaped; the
API masks the MRN and keeps other departments out; the project manager's own page shows their figures."""

from __future__ import annotations

import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from carebridge.core.tests.factories import StaffFactory
from carebridge.followup.choices import StayItemStatus, TouchpointKind
from carebridge.followup.models import StayPlan
from carebridge.followup.tests.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(at(2026, 3, 3, 12), tick=False):
        yield


@pytest.fixture
def nurse(hospital, paediatrics):
    return StaffFactory(hospital=hospital, name="赵护士", kind="nurse", home_department=paediatrics)


def _agree_by_page(client, plan, doctor, nurse, items):
    return client.post(
        reverse("followup:stay_plan_agree", args=[plan.pk]),
        {"doctor": doctor.pk, "nurse": nurse.pk, "items": items},
    )


def test_the_project_manager_agrees_the_plan_and_ticks_an_item_done(
    client, stay, doctors, nurse, ward_manager_wang
):
    doctors.pedi.kind = "doctor"
    doctors.pedi.save()
    plan = stay(started_at=at(2026, 3, 2, 9))
    client.force_login(ward_manager_wang)
    page = client.get(reverse("followup:plan_detail", args=[plan.pk]))
    assert page.status_code == 200 and b'id="stay-plan"' in page.content
    response = _agree_by_page(client, plan, doctors.pedi, nurse, "=cmd()\n营养餐安排")
    assert response.status_code == 302
    stay_plan = StayPlan.objects.get(plan=plan)
    item = stay_plan.items.get(sequence=2)
    client.post(reverse("followup:stay_item_close", args=[item.pk]), {"to": "done"})
    item.refresh_from_db()
    assert item.status == StayItemStatus.DONE
    interview = plan.touchpoints.get(kind=TouchpointKind.ADMISSION_INTERVIEW)
    client.post(
        reverse("followup:touchpoint_complete", args=[interview.pk]),
        {"notes": "入院沟通", "topics": ["experts", "outcomes"]},
    )
    interview.refresh_from_db()
    assert interview.data["introduction"]["covered"] == ["experts", "outcomes"]
    page = client.get(reverse("followup:plan_detail", args=[plan.pk]))
    assert b'data-topic="experts"' in page.content and "营养餐安排" in page.content.decode()

    export = client.get(reverse("followup:stay_plan_list") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    first = list(sheet.iter_rows(values_only=True))[1]
    assert "营养餐安排" in first[-1]

    mine = client.get(reverse("followup:manager"))
    assert mine.status_code == 200
    assert b'id="my-kpis"' in mine.content and b'data-kpi="stay_plan_24h"' in mine.content


def test_a_refused_plan_shows_the_form_again_with_the_errors(client, stay, doctors, ward_manager_wang):
    plan = stay(started_at=at(2026, 3, 2, 9))
    client.force_login(ward_manager_wang)
    response = _agree_by_page(client, plan, doctors.pedi, doctors.pedi, "")
    assert response.status_code == 400 and not StayPlan.objects.exists()


def test_the_api_masks_the_mrn_and_keeps_other_departments_out(
    api_client, stay, nurse, ward_manager_wang, request
):
    doctors = request.getfixturevalue("doctors")
    from carebridge.followup.services.stay_plans import stay_plan_agree

    plan = stay(started_at=at(2026, 3, 2, 9))
    stay_plan_agree(
        plan=plan, doctor=doctors.pedi, nurse=nurse, items=[{"text": "电话 13912345678 联系家属"}],
        actor=ward_manager_wang, agreed_at=at(2026, 3, 2, 15),
    )  # fmt: skip
    rows = api_client(ward_manager_wang).get("/api/v1/followup/stay-plans/").json()
    row = rows.get("results", rows)[0]
    assert row["care_plan"] == plan.pk and plan.patient.mrn not in str(row)
    assert row["patient_mrn"].endswith(plan.patient.mrn[-4:])
    assert "13912345678" not in row["items"][0]["text"]
    other = api_client(request.getfixturevalue("clinician_zhou")).get("/api/v1/followup/stay-plans/").json()
    assert other.get("results", other) == []
