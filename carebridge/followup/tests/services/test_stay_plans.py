"""The stay plan (住院方案) agreed at admission with the attending doctor and nurse, its items tracked to
done, the admission interview's introduction checklist, and the project manager's KPIs counted on them."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import ValidationError

from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import StaffFactory
from carebridge.followup.choices import IntroductionTopic, StayItemStatus, TouchpointKind
from carebridge.followup.selectors import kpis
from carebridge.followup.services.plans import touchpoint_complete
from carebridge.followup.services.stay_plans import (
    introduction_record,
    stay_item_add,
    stay_item_close,
    stay_plan_agree,
)
from carebridge.followup.tests.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def nurse(hospital, paediatrics):
    return StaffFactory(hospital=hospital, name="赵护士", kind="nurse", home_department=paediatrics)


def _agree(plan, doctors, nurse, actor, when, *, items=("术前检查解释", "营养餐安排")):
    return stay_plan_agree(
        plan=plan,
        doctor=doctors.pedi,
        nurse=nurse,
        items=[{"text": text} for text in items],
        actor=actor,
        agreed_at=when,
    )


@time_machine.travel(at(2026, 3, 4, 12), tick=False)
def test_the_project_manager_records_the_plan_agreed_with_doctor_and_nurse(
    stay, doctors, nurse, ward_manager_wang
):
    plan = stay(started_at=at(2026, 3, 2, 9))
    stay_plan = _agree(plan, doctors, nurse, ward_manager_wang, at(2026, 3, 2, 15))
    assert stay_plan.doctor == doctors.pedi and stay_plan.nurse == nurse
    assert stay_plan.project_manager_id == plan.owner_id
    assert [i.text for i in stay_plan.items.order_by("sequence")] == ["术前检查解释", "营养餐安排"]
    assert AuditEvent.objects.filter(action="stay_plan.agree", object_id=str(stay_plan.pk)).exists()
    with pytest.raises(ValidationError) as refused:
        _agree(plan, doctors, nurse, ward_manager_wang, at(2026, 3, 3, 9))
    assert "plan" in refused.value.message_dict


@time_machine.travel(at(2026, 3, 4, 12), tick=False)
def test_a_plan_needs_items_two_people_and_a_time_within_the_stay(stay, doctors, nurse, ward_manager_wang):
    plan = stay(started_at=at(2026, 3, 2, 9))
    with pytest.raises(ValidationError) as refused:
        stay_plan_agree(
            plan=plan, doctor=doctors.pedi, nurse=doctors.pedi, items=[{"text": " "}],
            actor=ward_manager_wang, agreed_at=at(2026, 3, 1, 9),
        )  # fmt: skip
    assert {"items", "nurse", "agreed_at"} <= set(refused.value.message_dict)


@time_machine.travel(at(2026, 3, 4, 12), tick=False)
def test_items_are_added_and_closed_once_dropping_needs_a_reason(stay, doctors, nurse, ward_manager_wang):
    plan = stay(started_at=at(2026, 3, 2, 9))
    stay_plan = _agree(plan, doctors, nurse, ward_manager_wang, at(2026, 3, 2, 15), items=("A",))
    extra = stay_item_add(stay_plan=stay_plan, item={"text": "家属会谈"}, actor=ward_manager_wang)
    assert extra.sequence == 2
    first = stay_plan.items.get(sequence=1)
    done = stay_item_close(item=first, to=StayItemStatus.DONE, actor=ward_manager_wang)
    assert done.status == StayItemStatus.DONE and done.closed_by == ward_manager_wang
    with pytest.raises(ValidationError):
        stay_item_close(item=first, to=StayItemStatus.DONE, actor=ward_manager_wang)
    with pytest.raises(ValidationError) as refused:
        stay_item_close(item=extra, to=StayItemStatus.DROPPED, actor=ward_manager_wang)
    assert "note" in refused.value.message_dict


@time_machine.travel(at(2026, 3, 4, 12), tick=False)
def test_the_introduction_checklist_is_kept_on_the_admission_interview_only(stay, ward_manager_wang):
    plan = stay(started_at=at(2026, 3, 2, 9))
    interview = plan.touchpoints.get(kind=TouchpointKind.ADMISSION_INTERVIEW)
    done = touchpoint_complete(
        touchpoint=interview,
        actor=ward_manager_wang,
        notes="入院沟通",
        introduction=["experts", "service_flow"],
    )
    assert done.data["introduction"] == {"covered": ["experts", "service_flow"], "complete": False}
    corrected = introduction_record(touchpoint=done, topics=IntroductionTopic.values, actor=ward_manager_wang)
    assert corrected.data["introduction"]["complete"] is True
    with pytest.raises(ValidationError):
        introduction_record(touchpoint=done, topics=["gossip"], actor=ward_manager_wang)
    talk = plan.touchpoints.get(kind=TouchpointKind.PRE_DISCHARGE_INTERVIEW)
    with pytest.raises(ValidationError):
        touchpoint_complete(touchpoint=talk, actor=ward_manager_wang, notes="x", introduction=["experts"])


def test_the_project_manager_kpis_count_the_rows_they_drill_into(
    stay, doctors, nurse, ward_manager_wang, discharge
):
    """Three stays of Wang's: one plan agreed in 20 h with both items done before discharge, one agreed
    after 30 h with an item left open, one without a plan; one interview with every topic introduced."""
    with time_machine.travel(at(2026, 3, 10, 12), tick=False):
        quick, late, none = (stay(started_at=at(2026, 3, 2, 9)) for _ in range(3))
        first = _agree(quick, doctors, nurse, ward_manager_wang, at(2026, 3, 3, 5))
        for item in first.items.all():
            stay_item_close(item=item, to=StayItemStatus.DONE, actor=ward_manager_wang, at=at(2026, 3, 5))
        _agree(late, doctors, nurse, ward_manager_wang, at(2026, 3, 3, 15))
        for plan, topics in ((quick, IntroductionTopic.values), (late, ["experts"])):
            interview = plan.touchpoints.get(kind=TouchpointKind.ADMISSION_INTERVIEW)
            touchpoint_complete(touchpoint=interview, actor=ward_manager_wang, notes="n", introduction=topics)
        for plan in (quick, late, none):
            discharge(plan, at(2026, 3, 9, 15))
    period = kpis.Period(first=at(2026, 3, 1).date(), last=at(2026, 3, 1).date(), zone="Asia/Shanghai",
                         now=at(2026, 3, 31, 12))  # fmt: skip
    plans = kpis.kpi_plans(user=ward_manager_wang)
    totals = kpis.kpi_totals(plans=plans, period=period, codes=kpis.MANAGER_CODES)
    assert (totals["stay_plan_24h"].numerator, totals["stay_plan_24h"].denominator) == (1, 3)
    assert (totals["stay_items_done"].numerator, totals["stay_items_done"].denominator) == (1, 2)
    intro = totals["introduction_complete"]
    assert (intro.numerator, intro.denominator) == (1, 2)
    for code in kpis.MANAGER_CODES:
        for part in ("num", "den"):
            rows = kpis.kpi_rows(plans=plans, period=period, kpi=code, part=part)
            cell = totals[code]
            assert rows.count() == (cell.numerator if part == "num" else cell.denominator)
    table = kpis.kpi_table(plans=plans, period=period, by="manager", codes=kpis.MANAGER_CODES)
    assert [row.key for row in table] == [str(ward_manager_wang.staff.pk)]
    assert table[0].cells["stay_plan_24h"].numerator == 1
