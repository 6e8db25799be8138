"""Query budgets of the call queue (issue 18): the page and the API read the queue in one query whatever
its length, so a lazy relation in a template or serializer (one query per row) fails here, not in the
call centre."""

from __future__ import annotations

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.followup.tests.factories import at
from carebridge.followup.tests.support.clients import client_for

NOW = at(2026, 3, 10, 10)

# Session, user, the permission read, the scope's staff record, the queue, the calls that open later, the
# hospital's calling hours, my other touchpoints; and the menu's staff record, hospital and groups.
PAGE_QUERIES = 11
# Token with its user, the permission read, the scope's staff record, the queue.
API_QUERIES = 4


@pytest.fixture
def discharged_calls(stay, discharge):
    def make(count: int) -> None:
        for index in range(count):
            discharge(stay("pedi" if index % 2 else "card", codes=["K35.8"]), when=at(2026, 3, 9, 15))

    return make


def _count(client, path: str) -> int:
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.django_db
def test_the_queue_page_and_api_read_the_queue_once_however_long_it_is(
    discharged_calls, agent_ann, api_client
):
    discharged_calls(2)
    page, api = client_for(agent_ann), api_client(agent_ann)
    short = (_count(page, "/followup/"), _count(api, "/api/v1/followup/queue/"))
    discharged_calls(4)
    with time_machine.travel(NOW, tick=False):
        assert page.get("/followup/").content.decode().count("claim-button") == 6
        assert len(api.get("/api/v1/followup/queue/").json()) == 6
    assert (_count(page, "/followup/"), _count(api, "/api/v1/followup/queue/")) == short
    assert short == (PAGE_QUERIES, API_QUERIES)


@pytest.mark.django_db
def test_a_full_queue_does_not_read_the_calls_that_open_later(discharged_calls, agent_ann, monkeypatch):
    """The "next calls" list is for an empty or short queue: with a full page of calls it is not read."""
    from carebridge.followup.views import calls as views

    discharged_calls(3)
    page = client_for(agent_ann)
    short = _count(page, "/followup/")
    monkeypatch.setattr(views, "QUEUE_SIZE", 3)
    with time_machine.travel(NOW, tick=False):
        content = page.get("/followup/").content.decode()
    assert content.count("claim-button") == 3
    assert _count(page, "/followup/") == short - 1


@pytest.mark.django_db
def test_the_queue_page_rows_show_the_patient_department_and_claim_link(discharged_calls, agent_ann):
    from carebridge.followup.models import Touchpoint

    discharged_calls(2)
    with time_machine.travel(NOW, tick=False):
        content = client_for(agent_ann).get("/followup/").content.decode()
    for call in Touchpoint.objects.filter(kind="follow_up_call", sequence=1).select_related(
        "patient", "department"
    ):
        assert call.patient.name in content
        assert call.department.name in content
        assert f'action="/followup/calls/{call.pk}/claim/"' in content
    assert 'name="csrfmiddlewaretoken"' in content


# Claiming the next call and recording "no answer" (issue 18 item 1): the claim is the queue's held-call
# check, the claim length, the claiming UPDATE, the call and its audit row (on PostgreSQL one statement);
# the record is the call locked with its plan, hospital, policy, patient and first number, the attempt
# and its audit row, the redial counts, one UPDATE of the call, the transition and its audit row (on
# PostgreSQL each pair of rows in one statement).
CLAIM_QUERIES = {"postgresql": 1, "sqlite": 5}
RECORD_QUERIES = {"postgresql": 5, "sqlite": 7}


@pytest.mark.django_db
def test_claiming_and_recording_no_answer_stay_within_their_query_budget(discharged_calls, agent_ann):
    from carebridge.core.scope import scope_for
    from carebridge.followup.services.calls import call_record
    from carebridge.followup.services.queue import call_claim_next

    discharged_calls(2)
    # What a request reads once, before any claim: the permission cache and the data scope.
    agent_ann.has_perm("followup.work_call_queue")
    scope_for(agent_ann)
    with time_machine.travel(NOW, tick=False):
        with CaptureQueriesContext(connection) as claim:
            call = call_claim_next(actor=agent_ann)
        assert call is not None and call.claimed_by_id == agent_ann.pk
        with CaptureQueriesContext(connection) as record:
            call_record(touchpoint=call, actor=agent_ann, outcome="no_answer")
    statements = [q for q in claim.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == CLAIM_QUERIES[connection.vendor]
    statements = [q for q in record.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == RECORD_QUERIES[connection.vendor]
