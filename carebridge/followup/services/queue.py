"""Claiming calls from the queue: two agents never get the same patient, even when they click together.

A claim is one conditional ``UPDATE … SET claimed_by = me WHERE id = … AND (claimed_by IS NULL OR
claimed_until < now OR claimed_by = me) AND <still callable>``; the database applies it to one row
atomically (SQLite takes the write lock for the statement, PostgreSQL re-checks the condition after the
row lock), so of many concurrent claims exactly one changes a row. No ``SELECT … FOR UPDATE`` is needed
and nothing waits on a lock longer than the statement. A claim lapses after the policy's
``claim_minutes``; :func:`claims_release_expired` clears lapsed claims for the lists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.followup.choices import CALL_KINDS, OPEN_TOUCHPOINT, EscalationStep
from carebridge.followup.models import Touchpoint
from carebridge.followup.selectors.calls import call_queue
from carebridge.followup.services.defaults import policy_for


def _claimable(actor: Actor, now: dt.datetime) -> Q:
    """Still a phone call to make, and free (or lapsed, or already the actor's).

    Only the touchpoint's own columns: with a join Django would write ``WHERE id IN (subquery)``, and
    PostgreSQL re-checks a blocked UPDATE's condition on the new row version only for the target table
    itself, so the patient's consent is checked by the queue selector before the claim instead."""
    return (
        Q(status__in=OPEN_TOUCHPOINT, kind__in=CALL_KINDS, step=EscalationStep.PHONE)
        # Not before its redial time: an agent who read the queue just before a colleague recorded
        # "no answer" must not dial the family again a few seconds later (bench/followup_queue.py).
        & (Q(available_at__isnull=True) | Q(available_at__lte=now))
        & (Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=actor))
    )


def _claim_minutes(touchpoint: Touchpoint) -> int:
    return policy_for(touchpoint.hospital).claim_minutes


def call_claim(*, touchpoint: Touchpoint, actor: Actor, now: dt.datetime | None = None) -> Touchpoint:
    """Take a call for ``actor``; refuse with a ``ValidationError`` when someone else holds it."""
    now = now or timezone.now()
    if not call_queue(user=actor, now=now, include_claimed=True).filter(pk=touchpoint.pk).exists():
        raise PermissionDenied(_("This call is not in your queue."))
    until = now + dt.timedelta(minutes=_claim_minutes(touchpoint))
    with transaction.atomic():
        claimed = Touchpoint.objects.filter(_claimable(actor, now), pk=touchpoint.pk).update(
            claimed_by=actor, claimed_until=until, updated_at=now
        )
        if not claimed:
            raise ValidationError({"touchpoint": [_("Another agent has just taken this call.")]})
        audit_record(actor=actor, action="touchpoint.claim", obj=touchpoint, summary=f"until {until:%H:%M}")
    touchpoint.refresh_from_db()
    return touchpoint


def call_claim_next(*, actor: Any, now: dt.datetime | None = None, tries: int = 20) -> Touchpoint | None:
    """Take the first free call of the actor's queue (the soonest due, then the highest tier); ``None``
    when the queue is empty. A call taken by someone else in between is skipped, not waited for."""
    now = now or timezone.now()
    mine = call_queue(user=actor, now=now).filter(claimed_by=actor, claimed_until__gte=now).first()
    if mine is not None:
        return mine
    skipped: list[int] = []
    for _attempt in range(tries):
        candidate = call_queue(user=actor, now=now).exclude(pk__in=skipped).first()
        if candidate is None:
            return None
        try:
            return call_claim(touchpoint=candidate, actor=actor, now=now)
        except ValidationError:
            skipped.append(candidate.pk)
    return None


@transaction.atomic
def call_release(*, touchpoint: Touchpoint, actor: Actor) -> Touchpoint:
    """Give a claimed call back to the queue (only the holder, or a supervisor, may)."""
    holder = touchpoint.claimed_by_id
    if holder is None:
        return touchpoint
    if holder != actor.pk and not actor.has_perm("followup.change_careplan"):
        raise PermissionDenied(_("Another agent holds this call."))
    Touchpoint.objects.filter(pk=touchpoint.pk, claimed_by_id=holder).update(
        claimed_by=None, claimed_until=None
    )
    audit_record(actor=actor, action="touchpoint.release", obj=touchpoint, summary=str(holder))
    touchpoint.refresh_from_db()
    return touchpoint


def claims_release_expired(*, now: dt.datetime | None = None) -> int:
    """Clear lapsed claims (they are claimable anyway; this keeps the "claimed by" columns honest)."""
    now = now or timezone.now()
    return Touchpoint.objects.filter(claimed_by__isnull=False, claimed_until__lt=now).update(
        claimed_by=None, claimed_until=None
    )
