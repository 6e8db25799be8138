"""A project manager's stay plan in a real browser (issue 21, 篇4 1.1): Wang opens a new inpatient's care
plan, records the plan agreed with the attending doctor and the nurse, ticks an item done, and sees it on
"my programme"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.core.tests.factories import (
    PASSWORD,
    DepartmentFactory,
    HospitalFactory,
    StaffFactory,
    WardFactory,
    make_persona,
)
from carebridge.followup.models import StayPlan
from carebridge.followup.tests.factories import inpatient_stay

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def stay(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    paediatrics = DepartmentFactory(hospital=hospital, code="PEDI", name="儿科")
    make_persona("wang", "ward_manager", hospital, departments=[paediatrics])
    doctor = StaffFactory(hospital=hospital, name="李医生", kind="doctor", home_department=paediatrics)
    nurse = StaffFactory(hospital=hospital, name="赵护士", kind="nurse", home_department=paediatrics)
    ward = WardFactory(department=paediatrics, code="PW1", name="儿科一病区")
    plan = inpatient_stay(
        hospital=hospital, ward=ward, doctor=doctor, started_at=timezone.now() - dt.timedelta(hours=3)
    )
    plan.encounter.primary_nurse = nurse
    plan.encounter.save()
    return plan


def test_the_project_manager_agrees_a_stay_plan_and_ticks_an_item_done(page, live_server, stay):
    page.set_default_timeout(60_000)  # a shared, loaded machine: the first request compiles templates
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "wang")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    page.goto(f"{live_server.url}/followup/plans/{stay.pk}/")
    form = page.locator("#stay-plan form")
    form.locator("textarea[name=items]").fill("向家长解释检查安排\n雾化治疗时间表告知家长")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#stay-items li.stay-item").count() == 2
    with page.expect_navigation():
        # Each open item has two forms: done, and dropped with a reason.
        page.locator("#stay-items li.stay-item").first.locator(
            "form:has(input[name=to][value=done]) button[type=submit]"
        ).click()
    assert page.locator("#stay-items li.stay-item[data-status=done]").count() == 1
    stay_plan = StayPlan.objects.get(plan=stay)
    assert stay_plan.doctor.name == "李医生" and stay_plan.nurse.name == "赵护士"
    page.goto(f"{live_server.url}/followup/manager/")
    assert "1/2" in page.locator("#open-items").inner_text()
