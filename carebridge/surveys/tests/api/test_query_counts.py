"""Query budget of a public survey submission (issue 18): a crowd of phones submits at once, so every query
of the submission counts; the budget holds whatever the questionnaire's length."""

from __future__ import annotations

from itertools import pairwise

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from carebridge.surveys.choices import ResponseMode
from carebridge.surveys.models import Answer, Response
from carebridge.surveys.selectors.responses import invitation_for_token
from carebridge.surveys.services.responses import response_submit
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

pytestmark = pytest.mark.django_db

# The token lookup (one narrow query), the claim of the token (a conditional UPDATE), the draft (deleted, its
# start returned: one statement), the response with its answers, the invitation's transition and the audit
# row, the recovery triggers; and the transaction (a savepoint in a test). On PostgreSQL the response and
# the rows that go with it are one statement (``core.services.rows``); elsewhere the response, the answers,
# the transition and the audit row are one insert each. The instrument's definition and item ids are read
# once per process (issue 18: 12 queries before, then 11, then 10 on both databases).
SUBMIT_QUERIES = {"postgresql": 7, "sqlite": 10}[connection.vendor]
# Without Redis (the embedded default) the public pages' rate limits live in a database cache table; its
# reads and writes are the cache's, not the submission's, and are not counted.
CACHE_TABLE = settings.CACHES["shared"].get("LOCATION", "")


def _submission_queries(sqls: list[str]) -> int:
    """The queries not the cache's: neither on its table nor on a savepoint opened around a cache write."""
    cache_savepoints = {
        sql.split()[-1]
        for sql, following in pairwise(sqls)
        if sql.startswith("SAVEPOINT") and CACHE_TABLE in following
    }
    return sum(
        CACHE_TABLE not in sql and not (sql.split() and sql.split()[-1] in cache_savepoints) for sql in sqls
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_public_submission_stays_within_its_query_budget(hospital, quality_officer_qian, cardiology):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    counts = []
    for _ in range(3):  # the first fills the process's caches (content types, the instrument)
        invitation = invite(wave, department=cardiology)
        with CaptureQueriesContext(connection) as queries:
            response = APIClient().post(
                f"/api/public/surveys/{invitation.token}/submit/", {"answers": GOOD}, format="json"
            )
        assert response.status_code == 201, response.content
        counts.append(_submission_queries([query["sql"] for query in queries.captured_queries]))
    assert Response.objects.count() == 3
    assert counts[1] == counts[2] <= SUBMIT_QUERIES, counts


def test_the_token_lookup_and_the_submission_are_the_budget_exactly(
    hospital, quality_officer_qian, cardiology, django_assert_num_queries
):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    first, second = invite(wave, department=cardiology), invite(wave, department=cardiology)
    found = invitation_for_token(token=first.token)  # reads the version's content for this process
    response_submit(
        invitation=found, answers=GOOD, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
    )
    with django_assert_num_queries(SUBMIT_QUERIES):
        found = invitation_for_token(token=second.token)
        response = response_submit(
            invitation=found, answers=GOOD, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
        )
    assert Answer.objects.filter(response=response).count() == len(GOOD)
    assert response.patient_id == second.patient_id and response.encounter_id == second.encounter_id
    assert response.adjusters["service_line"] == cardiology.code and "lag_days" in response.adjusters


def test_the_token_lookup_reads_what_the_pages_and_the_submission_need(
    hospital, quality_officer_qian, cardiology
):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    invitation = invite(wave, department=cardiology)
    found = invitation_for_token(token=invitation.token)
    assert found is not None and found.pk == invitation.pk
    assert found.wave.version.definition == wave.version.definition
    assert found.wave.hospital.name == hospital.name
    assert (found.department.code, found.patient.sex, found.encounter.ended_at) == (
        cardiology.code,
        invitation.patient.sex,
        invitation.encounter.ended_at,
    )
    assert invitation_for_token(token="no-such-token") is None
