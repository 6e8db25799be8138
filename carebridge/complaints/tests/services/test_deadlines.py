"""Deadlines of a complaint: working days across the National Day holiday, ten for several departments,
stopped while awaiting the complainant, every deadline stored and shown."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from carebridge.complaints.choices import ComplaintStatus, DeadlineKind
from carebridge.complaints.models import ComplaintPolicy
from carebridge.complaints.selectors.complaints import deadline_views
from carebridge.complaints.services.complaints import note_add
from carebridge.complaints.services.transitions import complaint_transition
from carebridge.complaints.tests.support.clock import SH, at

pytestmark = pytest.mark.django_db


def _due(complaint, kind=DeadlineKind.FEEDBACK):
    return complaint.deadlines.get(kind=kind).due.astimezone(SH)


@time_machine.travel(at(2025, 9, 30, 16), tick=False)
def test_a_complaint_received_on_the_eve_of_national_day_is_due_on_14_october(receive, agent_ann):
    # 1–8 October 2025 are off (国庆+中秋); Saturday 11 October is worked (调休): 9, 10, 11, 13, 14.
    complaint = receive(agent_ann)
    assert _due(complaint) == dt.datetime(2025, 10, 14, 23, 59, 59, tzinfo=SH)
    assert _due(complaint, DeadlineKind.ACKNOWLEDGEMENT).date() == dt.date(2025, 10, 9)


@time_machine.travel(at(2025, 9, 30, 16), tick=False)
def test_a_complaint_involving_several_departments_gets_ten_working_days(
    receive, agent_ann, cardiology, paediatrics
):
    complaint = receive(agent_ann, departments=[cardiology, paediatrics])
    assert _due(complaint).date() == dt.date(2025, 10, 21)
    assert complaint.deadlines.get(kind=DeadlineKind.FEEDBACK).working_days == 10


@time_machine.travel(at(2025, 11, 3, 9), tick=False)
def test_adding_a_second_department_later_moves_the_deadline(
    receive, agent_ann, complaint_officer_li, cardiology, paediatrics
):
    from carebridge.complaints.services.complaints import complaint_update

    complaint = receive(agent_ann, departments=[cardiology])
    assert _due(complaint).date() == dt.date(2025, 11, 10)
    complaint_update(complaint=complaint, actor=complaint_officer_li, departments=[cardiology, paediatrics])
    assert _due(complaint).date() == dt.date(2025, 11, 17)


def test_the_hospital_policy_sets_the_number_of_days(receive, agent_ann, hospital):
    ComplaintPolicy.objects.filter(hospital=hospital).update(
        feedback_working_days=3, acknowledgement_working_days=0
    )
    with time_machine.travel(at(2025, 11, 3, 9), tick=False):
        complaint = receive(agent_ann)
    assert _due(complaint).date() == dt.date(2025, 11, 6)
    assert not complaint.deadlines.filter(kind=DeadlineKind.ACKNOWLEDGEMENT).exists()


def test_pausing_for_the_complainant_stops_the_clock_and_resuming_moves_the_deadline(
    receive, agent_ann, complaint_officer_li
):
    with time_machine.travel(at(2025, 11, 3, 9), tick=False):  # Monday
        complaint = receive(agent_ann)
        complaint = complaint_transition(
            complaint=complaint, to=ComplaintStatus.INVESTIGATING, actor=complaint_officer_li
        )
    assert _due(complaint).date() == dt.date(2025, 11, 10)
    with time_machine.travel(at(2025, 11, 4, 9), tick=False):
        complaint = complaint_transition(
            complaint=complaint,
            to=ComplaintStatus.AWAITING_COMPLAINANT,
            actor=complaint_officer_li,
            reason="请补充缴费票据",
        )
    # While paused, the deadline shown runs on with "now": on Thursday the 6th, Tue–Thu noon do not count.
    with time_machine.travel(at(2025, 11, 6, 15), tick=False):
        shown = {d.kind: d for d in deadline_views(complaint)}
        assert shown[DeadlineKind.FEEDBACK].paused
        assert not shown[DeadlineKind.FEEDBACK].overdue
        assert shown[DeadlineKind.FEEDBACK].due.astimezone(SH).date() == dt.date(2025, 11, 13)
    with time_machine.travel(at(2025, 11, 7, 9), tick=False):  # resumed Friday morning
        complaint = complaint_transition(
            complaint=complaint,
            to=ComplaintStatus.INVESTIGATING,
            actor=complaint_officer_li,
            reason="投诉人已补充",
        )
    # Paused over the noons of Tue 4, Wed 5, Thu 6: three working days later than before.
    assert _due(complaint).date() == dt.date(2025, 11, 13)
    pause = complaint.pauses.get()
    assert pause.ended_at is not None and pause.reason == "请补充缴费票据"


@time_machine.travel(at(2025, 11, 3, 9), tick=False)
def test_deadlines_are_met_when_the_case_is_taken_up_and_answered(receive, agent_ann, complaint_officer_li):
    complaint = receive(agent_ann)
    assert complaint.deadlines.filter(met_at__isnull=False).count() == 0
    complaint = complaint_transition(
        complaint=complaint, to=ComplaintStatus.INVESTIGATING, actor=complaint_officer_li
    )
    assert complaint.deadlines.get(kind=DeadlineKind.ACKNOWLEDGEMENT).met_at is not None
    note_add(complaint=complaint, actor=complaint_officer_li, text="已核实")
    complaint = complaint_transition(
        complaint=complaint, to=ComplaintStatus.RESOLVED, actor=complaint_officer_li, resolution="已道歉"
    )
    assert complaint.deadlines.get(kind=DeadlineKind.FEEDBACK).met_at is not None


def test_compliments_have_no_deadline(receive, agent_ann):
    compliment = receive(agent_ann, kind="compliment", content="护士很耐心")
    assert not compliment.deadlines.exists()
