"""Care plans over a stay: opened at admission by any path, owned by the ward's project manager, tiered at
discharge by the policy (with the reason kept), re-tiered by hand with a reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.followup.choices import EscalationStep, PlanStatus, TouchpointKind, TouchpointStatus
from carebridge.followup.models import CarePlan, CarePlanTransition, TierRule
from carebridge.followup.services.discharge import plan_retier
from carebridge.followup.services.plans import care_plans_ensure, midstay_talk_schedule, touchpoint_complete
from carebridge.followup.tests.factories import SH, at
from carebridge.patients.models import Encounter
from carebridge.patients.services.encounters import encounter_create
from carebridge.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _calls(plan, kind=TouchpointKind.FOLLOW_UP_CALL):
    return list(plan.touchpoints.filter(kind=kind).order_by("sequence"))


def test_a_stay_recorded_through_the_registry_opens_a_plan_owned_by_the_ward_manager(
    hospital, wards, ward_manager_wang, admin_sun, django_capture_on_commit_callbacks
):
    patient = PatientFactory(hospital=hospital)
    with django_capture_on_commit_callbacks(execute=True):
        encounter = encounter_create(
            patient=patient,
            actor=admin_sun,
            kind="inpatient",
            department=wards.pedi.department,
            ward=wards.pedi,
            started_at=at(2026, 3, 2, 9),
        )
    plan = CarePlan.objects.get(encounter=encounter)
    assert plan.owner == ward_manager_wang.staff and plan.status == PlanStatus.IN_STAY
    interview = plan.touchpoints.get(kind=TouchpointKind.ADMISSION_INTERVIEW)
    assert interview.owner == ward_manager_wang.staff
    assert interview.due_at == at(2026, 3, 3, 9)  # within 24 hours of admission
    assert plan.touchpoints.get(kind=TouchpointKind.PRE_DISCHARGE_INTERVIEW).due_at is None


def test_rows_written_without_signals_get_their_plan_from_the_periodic_task(hospital, wards, doctors):
    patient = PatientFactory(hospital=hospital)
    now = at(2026, 3, 10, 12)
    Encounter.objects.bulk_create(
        [
            Encounter(
                hospital=hospital,
                patient=patient,
                kind="inpatient",
                department=wards.card.department,
                ward=wards.card,
                started_at=at(2026, 3, 1),
                ended_at=at(2026, 3, 8),
            ),
            Encounter(
                hospital=hospital,
                patient=patient,
                kind="outpatient",
                department=wards.card.department,
                started_at=at(2026, 3, 1),
            ),
        ]
    )
    assert care_plans_ensure(now=now) == {"opened": 1, "discharged": 0, "failed": 0}
    plan = CarePlan.objects.get()
    assert plan.discharged_at == at(2026, 3, 8) and plan.status == PlanStatus.FOLLOW_UP
    assert care_plans_ensure(now=now) == {"opened": 0, "discharged": 0, "failed": 0}  # idempotent


def test_an_a_tier_diagnosis_at_discharge_creates_the_a_tier_follow_ups_with_their_due_dates(
    stay, discharge, doctors
):
    plan = discharge(stay("card", codes=["I21.0", "I10"]), when=at(2026, 3, 9, 15))
    assert plan.tier == "A"
    # The default rule that lists I21 (acute myocardial infarction) among its ICD-10 prefixes.
    rule = next(r for r in TierRule.objects.filter(hospital=plan.hospital) if "I21" in r.icd10_prefixes)
    assert plan.tier_rule == rule
    assert rule.name in plan.tier_reason
    assert plan.tier_facts["icd10"] == ["I210", "I10"] and plan.tier_facts["department"] == "CARD"
    first, second = _calls(plan)
    assert (first.tier, first.sequence, first.owner) == ("A", 1, None)  # the call centre's queue
    assert first.due_at == dt.datetime(2026, 3, 12, 23, 59, 59, tzinfo=SH)  # within 3 days
    assert second.due_at == dt.datetime(2026, 4, 8, 23, 59, 59, tzinfo=SH)  # again at 30 days
    assert first.available_at == at(2026, 3, 9, 15)
    assert second.available_at == at(2026, 4, 2, 8, 30)  # a week before it is due, in calling hours
    doctor_call = plan.touchpoints.get(kind=TouchpointKind.POST_DISCHARGE_CALL)
    assert doctor_call.owner == doctors.card
    assert doctor_call.due_at == dt.datetime(2026, 3, 16, 23, 59, 59, tzinfo=SH)  # within a week
    assert plan.touchpoints.get(kind=TouchpointKind.PRE_DISCHARGE_INTERVIEW).due_at == at(2026, 3, 9, 15)
    tier_row = CarePlanTransition.objects.get(plan=plan, field="tier")
    assert (tier_row.from_status, tier_row.to_status) == ("", "A")


@pytest.mark.parametrize(
    "case",
    [
        (["K35.8"], {}, (), "C", [30]),
        (["K35.8"], {"surgery_grade": 3}, (), "A", [3, 30]),
        (["K35.8"], {"critical": True}, (), "A", [3, 30]),
        (["K35.8"], {}, ("chemotherapy",), "A", [3, 30]),
        (["K35.8"], {}, ("anticoagulant",), "B", [7]),
        (["J45.9"], {}, (), "B", [7]),
    ],
)
def test_the_tier_policy_reads_diagnosis_surgery_critical_flag_and_medication(stay, discharge, case):
    codes, fields, flags, tier, windows = case
    plan = discharge(stay("pedi", codes=codes, **fields), when=at(2026, 3, 9, 15), flags=flags)
    assert plan.tier == tier
    dues = [(c.due_at.astimezone(SH).date() - dt.date(2026, 3, 9)).days for c in _calls(plan)]
    assert dues == windows


def test_a_department_condition_narrows_a_rule(stay, discharge, hospital, cardiology):
    rule = TierRule.objects.create(hospital=hospital, name="心内科全部A级", tier="A", priority=1)
    rule.departments.add(cardiology)
    assert discharge(stay("pedi", codes=["K35.8"])).tier == "C"
    assert discharge(stay("card", codes=["K35.8"])).tier == "A"


def test_discharge_refuses_unknown_medication_and_changes_nothing(stay, discharge):
    plan = stay()
    with pytest.raises(ValidationError) as error:
        discharge(plan, flags=["aspirin"])
    assert "medication_flags" in error.value.message_dict
    plan.refresh_from_db()
    assert plan.discharged_at is None and plan.tier == ""


def test_discharge_is_idempotent(stay, discharge):
    plan = stay()
    discharge(plan)
    discharge(plan)
    assert len(_calls(plan)) == 1


def test_a_re_tier_needs_a_reason_and_replaces_the_calls_not_yet_attempted(
    stay, discharge, ward_manager_wang
):
    plan = discharge(stay("pedi", codes=["K35.8"]))
    with pytest.raises(ValidationError) as error:
        plan_retier(plan=plan, tier="A", actor=ward_manager_wang, reason=" ")
    assert "reason" in error.value.message_dict
    plan = plan_retier(plan=plan, tier="A", actor=ward_manager_wang, reason="家属诉病情反复")
    assert plan.tier == "A" and plan.tier_rule is None and "家属诉病情反复" in plan.tier_reason
    statuses = [(c.tier, c.status) for c in _calls(plan)]
    assert statuses == [("C", "cancelled"), ("A", "scheduled"), ("A", "scheduled")]
    row = CarePlanTransition.objects.filter(plan=plan, field="tier").last()
    assert (row.from_status, row.to_status, row.actor, row.reason) == (
        "C",
        "A",
        ward_manager_wang,
        "家属诉病情反复",
    )


def test_only_those_allowed_may_re_tier(stay, discharge, agent_ann):
    plan = discharge(stay())
    with pytest.raises(PermissionDenied):
        plan_retier(plan=plan, tier="A", actor=agent_ann, reason="x")


def test_a_mid_stay_talk_is_due_two_hours_before_the_examination(stay, ward_manager_wang):
    plan = stay()
    talk = midstay_talk_schedule(
        plan=plan,
        actor=ward_manager_wang,
        trigger="special_examination",
        event_at=at(2026, 3, 4, 14),
        description="支气管镜检查",
    )
    assert talk.due_at == at(2026, 3, 4, 12) and talk.owner == ward_manager_wang.staff
    assert talk.transitions.get().to_status == TouchpointStatus.SCHEDULED


def test_the_admission_interview_stores_the_customer_file_on_the_plan(stay, ward_manager_wang):
    plan = stay()
    interview = plan.touchpoints.get(kind=TouchpointKind.ADMISSION_INTERVIEW)
    customer_file = {
        "needs": ["陪护床", " "],
        "expectations": "尽快退烧",
        "preferences": "下午联系",
        "contacts": [{"name": "王女士", "relationship": "母亲", "phone": "13900001111"}],
    }
    touchpoint_complete(
        touchpoint=interview,
        actor=ward_manager_wang,
        notes="首次面对面沟通",
        customer_file=customer_file,
        at=at(2026, 3, 2, 16),
    )
    plan.refresh_from_db()
    assert plan.customer_file["needs"] == ["陪护床"]
    assert plan.customer_file["contacts"][0]["relationship"] == "母亲"
    interview.refresh_from_db()
    assert interview.status == TouchpointStatus.DONE and interview.completed_by == ward_manager_wang


def test_without_consent_no_call_enters_the_phone_queue(stay, discharge, hospital):
    from carebridge.followup.services.defaults import policy_for

    plan = discharge(stay(consent=False))
    assert {
        c.status for c in plan.touchpoints.filter(kind__in=["follow_up_call", "post_discharge_call"])
    } == {TouchpointStatus.SKIPPED}
    assert "consent" in _calls(plan)[0].closed_reason
    policy = policy_for(hospital)
    policy.no_consent_route = "letter"
    policy.save()
    plan = discharge(stay(consent=False))
    call = _calls(plan)[0]
    assert (call.status, call.step, call.owner) == ("scheduled", EscalationStep.VISIT_OR_LETTER, plan.owner)


def test_saving_a_stay_with_its_discharge_time_discharges_the_plan(stay, django_capture_on_commit_callbacks):
    plan = stay("card", codes=["I63.9"])
    encounter = plan.encounter
    encounter.ended_at = at(2026, 3, 9, 15)
    with django_capture_on_commit_callbacks(execute=True):
        encounter.save()
    plan.refresh_from_db()
    assert plan.discharged_at == at(2026, 3, 9, 15) and plan.tier == "A"
