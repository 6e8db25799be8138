"""No response is lost or duplicated under concurrent submission: real threads, each with its own
database connection, race on the same token and on many distinct tokens (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from carebridge.surveys.choices import InvitationStatus, ResponseMode
from carebridge.surveys.models import Answer, Invitation, InvitationTransition, RecoveryTrigger, Response
from carebridge.surveys.services.responses import SubmissionRefused, response_submit
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

# serialized_rollback: the role groups and regions made by data migrations survive the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DISTINCT = 24
SAME_TOKEN = 8


def _race(invitation_ids: list[int]) -> Counter[str]:
    """Submit each invitation id from its own thread, all released at once; count the outcomes."""
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(len(invitation_ids))

    def work(pk: int) -> None:
        close_old_connections()
        try:
            invitation = Invitation.objects.select_related("wave__version").get(pk=pk)
            barrier.wait(timeout=30)
            try:
                response_submit(
                    invitation=invitation,
                    answers=GOOD,
                    language="zh-hans",
                    mode=ResponseMode.WEB,
                    now=timezone.now(),
                )
                outcome = "accepted"
            except SubmissionRefused as refused:
                outcome = refused.reason
        except Exception as error:  # any other error fails the test below
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=work, args=(pk,)) for pk in invitation_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_concurrent_submissions_store_each_token_exactly_once(hospital, cardiology, quality_officer_qian):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    contested = invite(wave, department=cardiology)
    distinct = [invite(wave, department=cardiology) for _ in range(DISTINCT)]
    ids = [contested.pk] * SAME_TOKEN + [invitation.pk for invitation in distinct]

    outcomes = _race(ids)

    assert outcomes == Counter({"accepted": DISTINCT + 1, "already_answered": SAME_TOKEN - 1})
    assert Response.objects.count() == DISTINCT + 1
    assert Response.objects.filter(invitation=contested).count() == 1
    assert Answer.objects.count() == (DISTINCT + 1) * len(GOOD)
    assert Invitation.objects.filter(status=InvitationStatus.COMPLETED).count() == DISTINCT + 1
    assert InvitationTransition.objects.filter(invitation=contested, to_status="completed").count() == 1
    # The first responses of the hospital installed the default triggers once, not once per thread.
    assert RecoveryTrigger.objects.filter(hospital=hospital).count() == 3
