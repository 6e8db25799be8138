"""The complaint life cycle: first-receiver ownership, routing by the map, on-the-spot resolution, and
illegal transitions refused with a clear message while nothing changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.complaints.choices import TRANSITIONS, ComplaintStatus
from carebridge.complaints.models import Complaint, ComplaintTransition, RoutingRule
from carebridge.complaints.services.complaints import complaint_record_feedback, note_add
from carebridge.complaints.services.transitions import complaint_route, complaint_transition
from carebridge.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _snapshot(complaint: Complaint):
    complaint = Complaint.objects.get(pk=complaint.pk)
    return (
        complaint.status,
        complaint.resolution,
        complaint.closed_at,
        complaint.transitions.count(),
        list(complaint.deadlines.values_list("kind", "due", "met_at")),
    )


def _investigating(complaint, actor):
    complaint = complaint_route(complaint=complaint, actor=actor)
    return complaint_transition(complaint=complaint, to=ComplaintStatus.INVESTIGATING, actor=actor)


def test_the_receiver_owns_the_case_and_keeps_it_when_it_is_routed(
    receive, agent_ann, complaint_officer_li, offices
):
    complaint = receive(agent_ann, content="护士输液扎针扎了四次")
    assert complaint.owner == agent_ann and complaint.status == ComplaintStatus.RECEIVED
    assert complaint.reference.startswith("TS")
    routed = complaint_route(complaint=complaint, actor=complaint_officer_li)
    assert routed.status == ComplaintStatus.ROUTED
    assert routed.responsible_office == offices.nurs  # 护理 → 护理部
    assert routed.owner == agent_ann


@pytest.mark.parametrize(
    ("category", "office"),
    [
        ("medical_quality", "prel"),
        ("nursing", "nurs"),
        ("ethics", "disc"),
        ("fees", "fin"),
        ("waiting", "prel"),
    ],
)
def test_routing_follows_the_hospitals_map(receive, agent_ann, offices, category, office):
    complaint = receive(agent_ann, category=category)
    assert complaint_route(complaint=complaint, actor=agent_ann).responsible_office == getattr(
        offices, office
    )


def test_a_changed_routing_rule_takes_effect(receive, agent_ann, offices, hospital):
    RoutingRule.objects.filter(hospital=hospital, category="fees").update(office=offices.prel)
    complaint = receive(agent_ann, category="fees")
    assert complaint_route(complaint=complaint, actor=agent_ann).responsible_office == offices.prel


def test_every_transition_writes_who_when_from_to_and_why(receive, agent_ann, complaint_officer_li):
    complaint = _investigating(receive(agent_ann), complaint_officer_li)
    rows = list(
        ComplaintTransition.objects.filter(complaint=complaint).values_list("from_status", "to_status")
    )
    assert rows == [("", "received"), ("received", "routed"), ("routed", "investigating")]
    last = complaint.transitions.last()
    assert last.actor == complaint_officer_li and last.at is not None
    assert AuditEvent.objects.filter(action="complaint.investigating", object_id=str(complaint.pk)).exists()


def test_a_complaint_resolved_on_the_spot_needs_no_investigation(receive, agent_ann):
    complaint = receive(agent_ann, on_the_spot_resolution="当场解释并致歉")
    assert complaint.status == ComplaintStatus.RESOLVED and complaint.on_the_spot
    assert complaint.resolution == "当场解释并致歉"


def test_closing_without_a_resolution_is_refused_and_nothing_changes(
    receive, agent_ann, complaint_officer_li
):
    complaint = receive(agent_ann)
    before = _snapshot(complaint)
    with pytest.raises(ValidationError) as refused:
        complaint_transition(complaint=complaint, to=ComplaintStatus.CLOSED, actor=complaint_officer_li)
    assert "A complaint cannot be closed without a resolution." in refused.value.message_dict["resolution"]
    assert _snapshot(complaint) == before


def test_a_move_outside_the_table_is_refused_with_both_statuses_named(
    receive, agent_ann, complaint_officer_li
):
    complaint = receive(agent_ann)
    before = _snapshot(complaint)
    with pytest.raises(ValidationError) as refused:
        complaint_transition(complaint=complaint, to=ComplaintStatus.CONFIRMED, actor=complaint_officer_li)
    message = refused.value.message_dict["to"][0]
    assert "Received" in message and "Confirmed" in message
    assert _snapshot(complaint) == before


def test_resolving_an_investigated_case_without_notes_is_refused(receive, agent_ann, complaint_officer_li):
    complaint = _investigating(receive(agent_ann), complaint_officer_li)
    before = _snapshot(complaint)
    with pytest.raises(ValidationError) as refused:
        complaint_transition(
            complaint=complaint, to=ComplaintStatus.RESOLVED, actor=complaint_officer_li, resolution="已处理"
        )
    assert "investigation notes" in refused.value.message_dict["resolution"][0]
    assert _snapshot(complaint) == before


def test_resolving_without_a_resolution_is_refused(receive, agent_ann):
    complaint = receive(agent_ann)
    with pytest.raises(ValidationError, match="Write the resolution"):
        complaint_transition(complaint=complaint, to=ComplaintStatus.RESOLVED, actor=agent_ann)


def test_awaiting_the_complainant_needs_to_say_what_for(receive, agent_ann, complaint_officer_li):
    complaint = _investigating(receive(agent_ann), complaint_officer_li)
    with pytest.raises(ValidationError) as refused:
        complaint_transition(
            complaint=complaint, to=ComplaintStatus.AWAITING_COMPLAINANT, actor=complaint_officer_li
        )
    assert "reason" in refused.value.message_dict
    assert not complaint.pauses.exists()


def _resolved(receive, agent, officer):
    complaint = _investigating(receive(agent), officer)
    note_add(complaint=complaint, actor=officer, text="调阅监控，核实属实")
    return complaint_transition(
        complaint=complaint, to=ComplaintStatus.RESOLVED, actor=officer, resolution="已致歉"
    )


def test_the_full_life_of_a_complaint(receive, agent_ann, complaint_officer_li):
    complaint = _resolved(receive, agent_ann, complaint_officer_li)
    complaint = complaint_record_feedback(complaint=complaint, actor=complaint_officer_li, satisfied=True)
    assert complaint.status == ComplaintStatus.CONFIRMED and complaint.confirmed_at
    complaint = complaint_transition(
        complaint=complaint, to=ComplaintStatus.CLOSED, actor=complaint_officer_li, root_cause="attitude"
    )
    assert complaint.status == ComplaintStatus.CLOSED and complaint.root_cause == "attitude"


def test_reopening_without_a_reason_is_refused_and_with_one_it_works(
    receive, agent_ann, complaint_officer_li
):
    complaint = _resolved(receive, agent_ann, complaint_officer_li)
    complaint = complaint_transition(
        complaint=complaint, to=ComplaintStatus.CLOSED, actor=complaint_officer_li
    )
    before = _snapshot(complaint)
    with pytest.raises(ValidationError) as refused:
        complaint_transition(
            complaint=complaint, to=ComplaintStatus.INVESTIGATING, actor=complaint_officer_li
        )
    assert refused.value.message_dict["reason"] == ["Say why the case is reopened."]
    assert _snapshot(complaint) == before
    reopened = complaint_transition(
        complaint=complaint,
        to=ComplaintStatus.INVESTIGATING,
        actor=complaint_officer_li,
        reason="投诉人再次来访，对结果不满",
    )
    assert reopened.status == ComplaintStatus.INVESTIGATING and reopened.closed_at is None
    assert reopened.transitions.last().reason == "投诉人再次来访，对结果不满"


def test_only_the_complaint_office_closes(receive, agent_ann, complaint_officer_li):
    complaint = _resolved(receive, agent_ann, complaint_officer_li)
    with pytest.raises(PermissionDenied):
        complaint_transition(complaint=complaint, to=ComplaintStatus.CLOSED, actor=agent_ann)
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.RESOLVED


def test_an_unsatisfied_complainant_is_recorded_and_the_case_stays_resolved(
    receive, agent_ann, complaint_officer_li
):
    complaint = _resolved(receive, agent_ann, complaint_officer_li)
    with pytest.raises(ValidationError):
        complaint_record_feedback(complaint=complaint, actor=complaint_officer_li, satisfied=False)
    complaint = complaint_record_feedback(
        complaint=complaint, actor=complaint_officer_li, satisfied=False, feedback="要求赔偿"
    )
    assert complaint.status == ComplaintStatus.RESOLVED and complaint.complainant_satisfied is False


def test_a_compliment_is_filed_without_a_resolution(receive, agent_ann, complaint_officer_li):
    compliment = receive(agent_ann, kind="compliment", content="护士长耐心周到")
    closed = complaint_transition(complaint=compliment, to=ComplaintStatus.CLOSED, actor=complaint_officer_li)
    assert closed.status == ComplaintStatus.CLOSED and closed.reference.startswith("BY")


def test_the_table_reaches_every_status_and_closed_only_leads_back_to_investigation():
    reachable = {target for targets in TRANSITIONS.values() for target in targets}
    assert reachable | {ComplaintStatus.RECEIVED} == set(ComplaintStatus.values)
    assert TRANSITIONS[ComplaintStatus.CLOSED] == {ComplaintStatus.INVESTIGATING}
