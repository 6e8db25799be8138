"""``seed_demo`` with the same seed and as-of date writes the same survey data."""

from __future__ import annotations

import pytest
from django.db import transaction

from carebridge.surveys.models import Exclusion, Invitation, Response
from carebridge.surveys.tests.support.demo import load_demo

pytestmark = pytest.mark.django_db


def _fingerprint() -> tuple[list[tuple], list[tuple], list[tuple]]:
    """The survey data by natural keys (tokens, MRNs, codes), never by row ids."""
    invitations = list(
        Invitation.objects.order_by("token").values_list(
            "token",
            "wave__name",
            "status",
            "channel",
            "patient__mrn",
            "department__code",
            "sent_at",
            "completed_at",
        )
    )
    # Anonymous responses share their day's 00:00, so sort on every column, not in SQL.
    responses = sorted(
        Response.objects.values_list(
            "wave__name", "patient__mrn", "mode", "submitted_at", "score", "answers", "adjusters"
        ),
        key=repr,
    )
    exclusions = sorted(Exclusion.objects.values_list("wave__name", "patient__mrn", "reason"), key=str)
    return invitations, responses, exclusions


def test_the_same_seed_and_date_give_the_same_survey_data():
    savepoint = transaction.savepoint()
    load_demo(patients=60, seed=11)
    first = _fingerprint()
    transaction.savepoint_rollback(savepoint)
    assert not Invitation.objects.exists()
    load_demo(patients=60, seed=11)
    assert _fingerprint() == first
    assert len(first[0]) > 20 and len(first[1]) > 10


def test_another_seed_gives_other_answers():
    savepoint = transaction.savepoint()
    load_demo(patients=60, seed=11)
    first = _fingerprint()
    transaction.savepoint_rollback(savepoint)
    load_demo(patients=60, seed=12)
    assert _fingerprint()[0] != first[0]
