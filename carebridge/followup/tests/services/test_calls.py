"""Call outcomes: redials inside calling hours, the escalation chain to lost-to-follow-up, the tier-A
closing rule, death, and issues raised in a call becoming desk cases."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError

from carebridge.complaints.models import Complaint
from carebridge.core.services.outbox import outbox_deliver_one, outbox_due
from carebridge.followup.choices import EscalationStep, PlanStatus, TouchpointStatus
from carebridge.followup.services.calls import call_record, escalations_advance
from carebridge.followup.services.issues import call_issue_raise
from carebridge.followup.services.transitions import touchpoint_close
from carebridge.followup.tests.factories import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_call(stay, discharge, ward_manager_wang):
    """The first call of a tier-A stay (critical condition) on the paediatric ward of ward manager Wang."""
    plan = discharge(stay("pedi", codes=["J18.9"], critical=True), when=at(2026, 3, 9, 15))
    return plan.touchpoints.get(kind="follow_up_call", sequence=1)


def _no_answer(call, agent, when):
    with time_machine.travel(when, tick=False):
        return call_record(touchpoint=call, actor=agent, outcome="no_answer", at=when)


def test_three_unanswered_calls_in_a_day_move_the_call_to_the_next_days_calling_hours(a_call, agent_ann):
    _no_answer(a_call, agent_ann, at(2026, 3, 10, 9))
    a_call.refresh_from_db()
    assert a_call.available_at == at(2026, 3, 10, 11)  # retry in two hours
    assert a_call.status == TouchpointStatus.IN_PROGRESS
    _no_answer(a_call, agent_ann, at(2026, 3, 10, 11))
    _no_answer(a_call, agent_ann, at(2026, 3, 10, 13))
    a_call.refresh_from_db()
    assert a_call.available_at == at(2026, 3, 11, 8, 30)  # the fourth try is tomorrow at 08:30
    assert a_call.step == EscalationStep.PHONE


def test_a_retry_that_would_fall_after_calling_hours_waits_for_the_next_morning(a_call, agent_ann):
    _no_answer(a_call, agent_ann, at(2026, 3, 10, 19))
    a_call.refresh_from_db()
    assert a_call.available_at == at(2026, 3, 11, 8, 30)


def test_a_tier_a_call_cannot_be_closed_without_reaching_the_patient(a_call, agent_ann, ward_manager_wang):
    _no_answer(a_call, agent_ann, at(2026, 3, 10, 9))
    for status in ("lost", "expired", "cancelled", "done", "skipped"):
        with pytest.raises(ValidationError) as error:
            touchpoint_close(touchpoint=a_call, to=status, actor=ward_manager_wang, reason="联系不上")
        assert "to" in error.value.message_dict
    a_call.refresh_from_db()
    assert a_call.status == TouchpointStatus.IN_PROGRESS and a_call.transitions.count() == 2


def test_a_reached_outcome_closes_the_call(a_call, agent_ann):
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        call_record(
            touchpoint=a_call,
            actor=agent_ann,
            outcome="reached",
            answers={"health_status": "恢复良好", "medication": "按时服药"},
        )
    a_call.refresh_from_db()
    assert a_call.status == TouchpointStatus.DONE and a_call.data["answers"]["health_status"] == "恢复良好"


def test_the_whole_chain_ends_in_lost_to_follow_up_and_the_plan_page_shows_the_history(
    a_call, agent_ann, ward_manager_wang, settings, django_capture_on_commit_callbacks
):
    from carebridge.followup.tests.support.clients import client_for

    plan = a_call.plan
    days = [(10, 9), (10, 11), (10, 13), (11, 9), (11, 11)]
    for day, hour in days:
        _no_answer(a_call, agent_ann, at(2026, 3, day, hour))
    with django_capture_on_commit_callbacks(execute=True):
        _no_answer(a_call, agent_ann, at(2026, 3, 11, 13))  # the sixth: the chain moves on to a message
    for message_id in outbox_due():  # what the worker does with the committed outbox row
        outbox_deliver_one(message_id=message_id)
    a_call.refresh_from_db()
    assert a_call.step == EscalationStep.MESSAGE and a_call.available_at == at(2026, 3, 13, 13)
    sent = [
        json.loads(line)
        for line in (Path(settings.CAREBRIDGE["SMS"]["FILE_DIR"]) / "sms.jsonl").read_text().splitlines()
    ]
    assert len(sent) == 1 and sent[0]["reference"].startswith("followup-")
    assert escalations_advance(now=at(2026, 3, 12, 13))["escalated"] == 0  # still waiting for a reply
    assert escalations_advance(now=at(2026, 3, 13, 14))["escalated"] == 1
    a_call.refresh_from_db()
    assert a_call.step == EscalationStep.VISIT_OR_LETTER and a_call.owner == ward_manager_wang.staff
    with pytest.raises(ValidationError) as error:  # lost needs the reason
        call_record(touchpoint=a_call, actor=ward_manager_wang, channel="home_visit", outcome="failed")
    assert "notes" in error.value.message_dict
    with time_machine.travel(at(2026, 3, 16, 10), tick=False):
        call_record(
            touchpoint=a_call,
            actor=ward_manager_wang,
            channel="home_visit",
            outcome="failed",
            notes="家中无人，邻居称已搬家",
        )
    a_call.refresh_from_db()
    assert (a_call.status, a_call.step) == (TouchpointStatus.LOST, EscalationStep.LOST)
    assert a_call.closed_reason == "家中无人，邻居称已搬家"
    assert plan.touchpoints.get(kind="follow_up_call", sequence=2).status == TouchpointStatus.CANCELLED

    page = client_for(ward_manager_wang).get(f"/followup/plans/{plan.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Lost to follow-up" in html and "家中无人，邻居称已搬家" in html
    assert html.count("No answer") >= 6 and "SMS" in html and "Home visit" in html


def test_a_wrong_number_tries_the_next_number_then_goes_to_a_visit_or_letter(stay, discharge, agent_ann):
    plan = discharge(stay("card", codes=["K35.8"], phones=2), when=at(2026, 3, 9, 15))
    call = plan.touchpoints.get(kind="follow_up_call")
    first, second = plan.patient.phones.order_by("-is_primary", "id")
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        call_record(touchpoint=call, actor=agent_ann, outcome="wrong_number", phone=first)
        call.refresh_from_db()
        assert call.step == EscalationStep.PHONE
        call_record(touchpoint=call, actor=agent_ann, outcome="wrong_number", phone=second)
    call.refresh_from_db()
    assert call.step == EscalationStep.VISIT_OR_LETTER


def test_a_reported_death_closes_the_plan_and_marks_the_patient(a_call, agent_ann):
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        call_record(touchpoint=a_call, actor=agent_ann, outcome="deceased", notes="家属告知已于3月8日去世")
    plan = a_call.plan
    plan.refresh_from_db()
    plan.patient.refresh_from_db()
    assert plan.status == PlanStatus.CLOSED and plan.patient.deceased_at == at(2026, 3, 10, 9)
    assert set(plan.touchpoints.exclude(pk=a_call.pk).values_list("status", flat=True)) == {"cancelled"}


def test_phone_calls_are_refused_for_a_patient_without_consent(a_call, agent_ann):
    patient = a_call.plan.patient
    patient.contact_consent = False
    patient.save()
    with pytest.raises(ValidationError) as error:
        call_record(touchpoint=a_call, actor=agent_ann, outcome="reached")
    assert "channel" in error.value.message_dict


def test_a_complaint_raised_in_a_call_becomes_a_desk_case_linked_to_the_attempt(a_call, agent_ann):
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        attempt = call_record(touchpoint=a_call, actor=agent_ann, outcome="reached")
        issue = call_issue_raise(
            attempt=attempt, actor=agent_ann, kind="complaint", text="出院结账排队两个小时，收费处态度差"
        )
    complaint = Complaint.objects.get()
    assert issue.complaint == complaint and complaint.channel == "followup_call"
    assert complaint.patient == a_call.plan.patient and complaint.owner == agent_ann
    assert list(complaint.departments.all()) == [a_call.plan.department]
    assert list(attempt.issues.all()) == [issue]


def test_a_clinical_question_goes_to_the_department_without_a_desk_case(a_call, agent_ann):
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        attempt = call_record(touchpoint=a_call, actor=agent_ann, outcome="reached")
        issue = call_issue_raise(
            attempt=attempt, actor=agent_ann, kind="clinical_question", text="阿司匹林能停吗？"
        )
    assert issue.complaint is None and issue.department == a_call.plan.department
    assert Complaint.objects.count() == 0


def test_b_and_c_calls_expire_after_their_window_but_tier_a_never(stay, discharge):
    plan_c = discharge(stay("pedi", codes=["K35.8"]), when=at(2026, 3, 9, 15))
    plan_a = discharge(stay("card", codes=["I21.0"]), when=at(2026, 3, 9, 15))
    result = escalations_advance(now=at(2026, 7, 1))
    assert result["expired"] == 1
    assert plan_c.touchpoints.get(kind="follow_up_call").status == TouchpointStatus.EXPIRED
    assert set(plan_a.touchpoints.filter(kind="follow_up_call").values_list("status", flat=True)) == {
        "scheduled"
    }


def test_no_answer_from_the_claimer_releases_the_claim_and_writes_one_transition_and_two_audit_rows(
    a_call, agent_ann
):
    from carebridge.core.models import AuditEvent
    from carebridge.followup.services.queue import call_claim

    when = at(2026, 3, 10, 9)
    with time_machine.travel(when - dt.timedelta(minutes=1), tick=False):
        call_claim(touchpoint=a_call, actor=agent_ann)
    with time_machine.travel(when, tick=False):
        attempt = call_record(touchpoint=a_call, actor=agent_ann, outcome="no_answer", notes="关机")
    a_call.refresh_from_db()
    assert (a_call.claimed_by_id, a_call.claimed_until) == (None, None)
    assert a_call.notes == "关机"
    assert a_call.status == TouchpointStatus.IN_PROGRESS
    assert a_call.available_at == at(2026, 3, 10, 11)
    assert attempt.phone_id == a_call.patient.phones.order_by("-is_primary", "id").first().pk
    moves = list(a_call.transitions.values_list("from_status", "to_status"))
    assert moves[-1] == ("scheduled", "in_progress")
    actions = list(
        AuditEvent.objects.filter(object_type="followup.touchpoint", object_id=str(a_call.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["touchpoint.claim", "touchpoint.attempt", "touchpoint.in_progress"]
    attempt_audit = AuditEvent.objects.get(action="touchpoint.attempt", object_id=str(a_call.pk))
    assert attempt_audit.changes["phone"].count("*") == 4  # the number dialled, masked
    assert attempt_audit.summary == f"{attempt.get_channel_display()}: {attempt.get_outcome_display()}"
    assert a_call.updated_at == when  # stamped by the one UPDATE that saved the move
