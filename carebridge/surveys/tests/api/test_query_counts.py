"""Query budget of a public survey submission (issue 18): a crowd of phones submits at once, so every query
of the submission counts; the budget holds whatever the questionnaire's length."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from carebridge.surveys.models import Response
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

pytestmark = pytest.mark.django_db

# The token lookup, the claim of the token (a conditional UPDATE), its transition, the response, the item
# ids, the answers in one insert, the draft, the audit row, the recovery triggers; and the transaction.
SUBMIT_QUERIES = 12


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
        counts.append(len(queries.captured_queries))
    assert Response.objects.count() == 3
    assert counts[1] == counts[2] <= SUBMIT_QUERIES, counts
