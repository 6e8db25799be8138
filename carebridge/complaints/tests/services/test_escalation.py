"""Overdue complaints are escalated to the office head exactly once, and appear in the overdue queue."""

from __future__ import annotations

import pytest
import time_machine

from carebridge.complaints.choices import ComplaintStatus
from carebridge.complaints.models import Complaint, ComplaintPolicy
from carebridge.complaints.selectors.complaints import overdue_list
from carebridge.complaints.services.transitions import complaint_route, complaint_transition
from carebridge.complaints.tasks import complaints_escalate_overdue
from carebridge.complaints.tests.support.clock import at
from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import make_persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_head(hospital, offices):
    head = make_persona("head", "dept_head", hospital, departments=[offices.prel])
    head.staff.home_department = offices.prel
    head.staff.save()
    return head


def test_an_overdue_complaint_is_escalated_once_not_on_every_run(
    receive, agent_ann, office_head, complaint_officer_li
):
    with time_machine.travel(at(2025, 11, 3, 9), tick=False):
        # Acknowledged at once (routed), so only its feedback deadline, Monday 10 November, can be missed.
        late = complaint_route(complaint=receive(agent_ann), actor=complaint_officer_li)
        on_time = receive(agent_ann, on_the_spot_resolution="当场解决")
    with time_machine.travel(at(2025, 11, 10, 20), tick=False):
        assert complaints_escalate_overdue() == []  # not yet late
    with time_machine.travel(at(2025, 11, 11, 9), tick=False):
        assert complaints_escalate_overdue() == [late.pk]
        first = Complaint.objects.get(pk=late.pk).escalated_at
    with time_machine.travel(at(2025, 11, 11, 9, 15), tick=False):
        assert complaints_escalate_overdue() == []  # the second run finds it claimed
    late.refresh_from_db()
    assert late.escalated_at == first
    assert late.escalated_to == office_head.staff
    assert AuditEvent.objects.filter(action="complaint.escalate", object_id=str(late.pk)).count() == 1
    assert Complaint.objects.get(pk=on_time.pk).escalated_at is None


def test_a_missed_acknowledgement_is_overdue_and_escalated_before_the_feedback_deadline(
    receive, agent_ann, office_head
):
    with time_machine.travel(at(2025, 11, 3, 9), tick=False):
        unacknowledged = receive(agent_ann)  # acknowledgement due Tuesday 4 November, end of day
    with time_machine.travel(at(2025, 11, 4, 20), tick=False):
        assert complaints_escalate_overdue() == []
    with time_machine.travel(at(2025, 11, 5, 9), tick=False):
        assert complaints_escalate_overdue() == [unacknowledged.pk]


def test_the_policy_names_the_office_head(receive, agent_ann, hospital, complaint_officer_li):
    ComplaintPolicy.objects.filter(hospital=hospital).update(office_head=complaint_officer_li.staff)
    with time_machine.travel(at(2025, 11, 3, 9), tick=False):
        late = receive(agent_ann)
    with time_machine.travel(at(2025, 11, 20, 9), tick=False):
        complaints_escalate_overdue()
    assert Complaint.objects.get(pk=late.pk).escalated_to == complaint_officer_li.staff


def test_a_case_waiting_for_the_complainant_is_not_overdue(receive, agent_ann, complaint_officer_li):
    with time_machine.travel(at(2025, 11, 3, 9), tick=False):
        complaint = receive(agent_ann)
        complaint = complaint_transition(
            complaint=complaint, to=ComplaintStatus.INVESTIGATING, actor=complaint_officer_li
        )
        complaint_transition(
            complaint=complaint,
            to=ComplaintStatus.AWAITING_COMPLAINANT,
            actor=complaint_officer_li,
            reason="等待补充材料",
        )
    with time_machine.travel(at(2025, 11, 20, 9), tick=False):
        assert complaints_escalate_overdue() == []
        assert not overdue_list(user=complaint_officer_li).exists()


def test_the_overdue_queue_lists_late_cases_in_the_users_scope(
    receive, agent_ann, complaint_officer_li, ward_manager_wang, cardiology
):
    with time_machine.travel(at(2025, 11, 3, 9), tick=False):
        late = receive(agent_ann, departments=[cardiology])
    with time_machine.travel(at(2025, 11, 20, 9), tick=False):
        assert list(overdue_list(user=complaint_officer_li)) == [late]
        assert not overdue_list(user=ward_manager_wang).exists()  # paediatrics only


def test_the_beat_schedule_runs_the_escalation_every_15_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["complaints-escalate-overdue"]
    assert entry["task"] == "carebridge.complaints.tasks.complaints_escalate_overdue"
    assert entry["schedule"].minute == set(range(0, 60, 15))
