"""Claiming a notification: two staff never call the same person about the same result.

On PostgreSQL the claim locks the row with ``SELECT … FOR UPDATE SKIP LOCKED``: a colleague's claim in
flight is skipped, not waited for, and the condition is read again under the lock. SQLite has no row
locks; there the claim is one conditional ``UPDATE … WHERE claimed_by IS NULL OR …``, which SQLite runs
under its database write lock, so of two claims exactly one changes the row. A claim lapses after the
class policy's ``claim_minutes``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.critical.choices import OPEN_STATUSES
from carebridge.critical.models import Notification
from carebridge.critical.selectors.notifications import notification_queue
from carebridge.critical.services.rules import policy_for


def _claimable(actor: Actor, now: dt.datetime) -> Q:
    return Q(status__in=OPEN_STATUSES) & (
        Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by_id=actor.pk)
    )


def notification_claim(
    *, notification: Notification, actor: Actor, now: dt.datetime | None = None
) -> Notification:
    """Take ``notification`` for ``actor``; a ``ValidationError`` when a colleague holds it."""
    now = now or timezone.now()
    if not actor.has_perm("critical.work_notification"):
        raise PermissionDenied(_("You are not allowed to work the critical-result queue."))
    if not notification_queue(user=actor, now=now, include_claimed=True).filter(pk=notification.pk).exists():
        raise PermissionDenied(_("This notification is not in your queue."))
    minutes = policy_for(hospital=notification.hospital, severity=notification.severity).claim_minutes
    until = now + dt.timedelta(minutes=minutes)
    taken = _("A colleague has just taken this notification.")
    with transaction.atomic():
        if connection.vendor == "postgresql":
            row = (
                Notification.objects.select_for_update(skip_locked=True)
                .filter(_claimable(actor, now), pk=notification.pk)
                .first()
            )
            if row is None:
                raise ValidationError({"notification": [taken]})
            row.claimed_by = actor  # type: ignore[assignment]
            row.claimed_until = until
            row.save(update_fields=["claimed_by", "claimed_until"])
        else:
            claimed = Notification.objects.filter(_claimable(actor, now), pk=notification.pk).update(
                claimed_by=actor, claimed_until=until
            )
            if not claimed:
                raise ValidationError({"notification": [taken]})
        audit_record(
            actor=actor,
            action="critical.notification.claim",
            obj=notification,
            summary=f"until {until:%H:%M}",
        )
    notification.refresh_from_db()
    return notification


def notification_claim_next(
    *, actor: Any, now: dt.datetime | None = None, tries: int = 20
) -> Notification | None:
    """The actor's current claim, else the first free notification of the queue (class A first, then
    the soonest due); one a colleague takes in between is skipped."""
    now = now or timezone.now()
    mine = notification_queue(user=actor, now=now, include_claimed=True).filter(
        claimed_by_id=actor.pk, claimed_until__gte=now
    )
    if mine.exists():
        return mine.first()
    skipped: list[int] = []
    for _attempt in range(tries):
        candidate = notification_queue(user=actor, now=now).exclude(pk__in=skipped).first()
        if candidate is None:
            return None
        try:
            return notification_claim(notification=candidate, actor=actor, now=now)
        except ValidationError:
            skipped.append(candidate.pk)
    return None


@transaction.atomic
def notification_release(*, notification: Notification, actor: Actor) -> Notification:
    """Give a claimed notification back (the holder, or a supervisor)."""
    holder = notification.claimed_by_id
    if holder is None:
        return notification
    if holder != actor.pk and not actor.has_perm("critical.signoff_notification"):
        raise PermissionDenied(_("A colleague holds this notification."))
    Notification.objects.filter(pk=notification.pk, claimed_by_id=holder).update(
        claimed_by=None, claimed_until=None
    )
    audit_record(actor=actor, action="critical.notification.release", obj=notification)
    notification.refresh_from_db()
    return notification
