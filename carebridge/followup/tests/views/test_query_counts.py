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

# Session, user, the two permission reads, the scope's staff record, the queue, the calls that open later,
# the hospital's calling hours, my other touchpoints; and the menu's staff record, hospital and groups.
PAGE_QUERIES = 12
# Token with its user, the two permission reads, the scope's staff record, the queue.
API_QUERIES = 5


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
