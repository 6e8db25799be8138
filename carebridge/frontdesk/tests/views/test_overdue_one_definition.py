"""One definition of "overdue" (已超期) everywhere: a complaint is overdue when any of its deadlines —
acknowledgement or feedback — has passed unmet while its clock runs. The register's deadline flags, its
"overdue" filter, the overdue page, the workspace counter, the handover and the escalation task must name
the same cases (they used to disagree: the register and the handover flagged missed acknowledgements, the
overdue page and the counter only missed feedback)."""

from __future__ import annotations

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from carebridge.complaints.choices import ComplaintStatus
from carebridge.complaints.selectors.overdue import overdue_complaints
from carebridge.complaints.services.transitions import complaint_route, complaint_transition
from carebridge.complaints.tests.support.clock import at
from carebridge.frontdesk.selectors.carryover import complaints_near_deadline
from carebridge.frontdesk.selectors.workspace import workspace_counters

pytestmark = pytest.mark.django_db
NOW = at(2026, 3, 11, 9, 30)  # a Wednesday


@pytest.fixture
def cases(receive, agent_ann, complaint_officer_li):
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        feedback_late = complaint_route(complaint=receive(agent_ann), actor=complaint_officer_li)
        waiting = complaint_transition(
            complaint=complaint_route(complaint=receive(agent_ann), actor=complaint_officer_li),
            to=ComplaintStatus.INVESTIGATING,
            actor=complaint_officer_li,
        )
        waiting = complaint_transition(
            complaint=waiting,
            to=ComplaintStatus.AWAITING_COMPLAINANT,
            actor=complaint_officer_li,
            reason="等待补充材料",
        )
    with time_machine.travel(at(2026, 3, 9, 10), tick=False):
        # Received on Monday, never acknowledged: the acknowledgement was due Tuesday; feedback not yet.
        acknowledgement_late = receive(agent_ann)
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        acknowledged = complaint_route(complaint=receive(agent_ann), actor=complaint_officer_li)
    with time_machine.travel(at(2026, 3, 11, 8), tick=False):
        fresh = receive(agent_ann)  # acknowledgement due tomorrow
    return {
        "feedback_late": feedback_late,
        "acknowledgement_late": acknowledgement_late,
        "waiting": waiting,
        "acknowledged": acknowledged,
        "fresh": fresh,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_every_page_and_counter_names_the_same_overdue_cases(
    cases, complaint_officer_li, agent_ann, hospital
):
    expected = {cases["feedback_late"].pk, cases["acknowledgement_late"].pk}
    client = _client(complaint_officer_li)
    with time_machine.travel(NOW, tick=False):
        register = client.get("/desk/complaints/")
        flagged = {c.pk for c, deadlines in register.context["rows"] if any(d.overdue for d in deadlines)}
        filtered = {c.pk for c, _ in client.get("/desk/complaints/?overdue=true").context["rows"]}
        not_overdue = {c.pk for c, _ in client.get("/desk/complaints/?overdue=false").context["rows"]}
        queue = {c.pk for c, _ in client.get("/desk/complaints/overdue/").context["rows"]}
        counter = workspace_counters(user=complaint_officer_li, now=NOW)["complaints_overdue"]
        agent_counter = workspace_counters(user=agent_ann, now=NOW)["complaints_overdue"]
        carried = {
            int(item.object_key)
            for item in complaints_near_deadline(hospital, NOW)
            if item.due is not None and item.due < NOW
        }
        task = set(overdue_complaints(now=NOW).values_list("pk", flat=True))
    assert flagged == filtered == queue == carried == task == expected
    assert counter == agent_counter == len(expected)
    assert not_overdue == {c.pk for c in cases.values()} - expected
