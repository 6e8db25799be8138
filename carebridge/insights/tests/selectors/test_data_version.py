"""The data version of an analysis ("count:last id" of the selection) without counting millions of
responses on every request (issue 18 item 4): the responses up to the last id of a refresh that started
an hour ago or more are counted once, the later ones on each request, and the version is the same text
as a plain count would give — before any refresh, after one, after a new response, for each scope."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.models import Count, Max
from django.test.utils import CaptureQueriesContext

from carebridge.core.tests.factories import make_persona
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.selectors.analysis.selection import data_version, responses_for, settled_response_id
from carebridge.insights.services.aggregates import response_months_refresh
from carebridge.insights.tests.support.analysis_data import add_responses

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)


def _counted(queryset) -> str:
    numbers = queryset.order_by().aggregate(n=Count("id"), last=Max("id"))
    return f"{numbers['n']}:{numbers['last'] or 0}"


@pytest.fixture
def aged(rated_version, cardiology, paediatrics):
    """Responses created three hours, two hours and half an hour before START (their insert time, not
    their submission time): the last batch is too recent to count as settled at START."""
    batches = []
    for hours, seed in ((3, 1), (2, 2), (0.5, 3)):
        with time_machine.travel(START - dt.timedelta(hours=hours), tick=False):
            batches.append(
                add_responses(rated_version, department=cardiology, n=4, seed=seed)
                + add_responses(rated_version, department=paediatrics, n=3, seed=seed + 10)
            )
    return batches


def test_a_refresh_records_the_last_response_id_and_it_counts_as_settled_an_hour_later(aged):
    with time_machine.travel(START, tick=False):
        refresh = response_months_refresh()
    assert refresh.last_response_id == max(r.pk for r in aged[2])
    # Within the hour a response with a lower id may still be committing: nothing is settled yet.
    assert settled_response_id(now=START + dt.timedelta(minutes=59)) == 0
    assert settled_response_id(now=START + dt.timedelta(hours=1)) == refresh.last_response_id


def test_the_version_is_the_count_and_last_id_of_the_selection_before_and_after_a_refresh(
    aged, rated_version, request, quality_officer_qian, ward_manager_wang
):
    cardiology, paediatrics = (request.getfixturevalue(name) for name in ("cardiology", "paediatrics"))
    selection = Selection(instrument_id=rated_version.instrument_id)
    everyone = responses_for(user=quality_officer_qian, selection=selection)
    ward = responses_for(user=ward_manager_wang, selection=selection)  # paediatrics only
    before = data_version(everyone)
    assert before == _counted(everyone) == f"21:{max(r.pk for r in aged[2])}"
    with time_machine.travel(START, tick=False):
        response_months_refresh()
    assert data_version(everyone) == before
    assert data_version(ward) == _counted(ward) == f"9:{max(r.pk for r in aged[2][4:])}"
    cardiology_only = Selection(instrument_id=rated_version.instrument_id, department_id=cardiology.pk)
    assert data_version(responses_for(user=quality_officer_qian, selection=cardiology_only)) == "12:" + str(
        max(r.pk for r in aged[2][:4])
    )

    new = add_responses(rated_version, department=paediatrics, n=1, seed=40)[0]
    assert data_version(everyone) == _counted(everyone) == f"22:{new.pk}"
    assert data_version(ward) == f"10:{new.pk}"


def test_after_a_refresh_the_settled_responses_are_counted_once(aged, rated_version, quality_officer_qian):
    with time_machine.travel(START, tick=False):
        refresh = response_months_refresh()
    selection = Selection(instrument_id=rated_version.instrument_id)
    responses = responses_for(user=quality_officer_qian, selection=selection)
    settled = f'"id" <= {refresh.last_response_id}'
    with CaptureQueriesContext(connection) as first:
        version = data_version(responses)
    with CaptureQueriesContext(connection) as second:
        assert data_version(responses) == version
    assert sum(settled in q["sql"] for q in first.captured_queries) == 1
    assert not any(settled in q["sql"] for q in second.captured_queries)
    assert len(second.captured_queries) == len(first.captured_queries) - 1


def test_a_user_with_an_empty_scope_gets_an_empty_version_after_a_refresh(aged, rated_version, hospital):
    nobody = make_persona("kong", "ward_manager", hospital)  # no department yet: sees no response
    with time_machine.travel(START, tick=False):
        response_months_refresh()
    selection = Selection(instrument_id=rated_version.instrument_id)
    assert data_version(responses_for(user=nobody, selection=selection)) == "0:0"
