"""Query budget of the insights overview (issue 18): the monthly summary reads the responses in a fixed
number of queries however many there are, for the quality office and a department-scoped user; its
months come from the stored monthly aggregate, only the current month from the responses."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carebridge.insights.services.aggregates import response_months_refresh
from carebridge.insights.tests.support.analysis_data import make_survey_data

pytestmark = pytest.mark.django_db

OVERVIEW_QUERIES = 30


def _count(client, user) -> int:
    client.force_login(user)
    cache.clear()  # measure the work, not a cached page
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("insights:overview"))
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("persona", ["quality_officer_qian", "ward_manager_wang"])
def test_the_overview_reads_the_answers_in_a_fixed_number_of_queries(request, client, persona):
    user = request.getfixturevalue(persona)
    data = [request.getfixturevalue(name) for name in ("rated_version", "cardiology", "paediatrics")]
    make_survey_data(*data)
    small = _count(client, user)
    make_survey_data(*data)  # twice the responses
    assert _count(client, user) == small
    assert small <= OVERVIEW_QUERIES, small


def _captured(client, user) -> list[str]:
    client.force_login(user)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("insights:overview"))
    assert response.status_code == 200
    assert response.context["months"], "the overview shows the instrument's months"
    return [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("persona", ["quality_officer_qian", "ward_manager_wang"])
def test_the_overview_reads_closed_months_from_the_aggregate_in_a_fixed_number_of_queries(
    request, client, persona
):
    user = request.getfixturevalue(persona)
    data = [request.getfixturevalue(name) for name in ("rated_version", "cardiology", "paediatrics")]
    make_survey_data(*data)  # answers over the last three months: closed months and this one
    response_months_refresh()
    small = _captured(client, user)
    make_survey_data(*data)
    response_months_refresh()
    large = _captured(client, user)
    assert len(large) == len(small) <= OVERVIEW_QUERIES + 3, len(large)
    # The months' figures: the aggregate for the closed months, one pass over this month's responses.
    assert sum("insights_responsemonth" in sql for sql in large) == 1
    # The last refresh is read twice: where the stored months end, and up to which response the
    # analysis's data version takes the settled count from the cache (selectors.analysis.selection).
    assert sum("insights_aggregaterefresh" in sql for sql in large) == 2
    months = [sql for sql in large if "submitted_at" in sql and "GROUP BY" in sql.upper()]
    assert len(months) == 1 and " IN (SELECT" not in months[0].upper()
