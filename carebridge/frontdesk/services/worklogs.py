"""Work logs (工作日志): one per agent and day, its counts taken from the records, plus free notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.frontdesk.models import WorkLog
from carebridge.frontdesk.selectors.worklogs import worklog_counts


def _hospital_of(actor: Actor) -> Any:
    staff = getattr(actor, "staff", None)
    if staff is None:
        raise ValidationError({"author": [_("Your account is not linked to a hospital.")]})
    return staff.hospital


@transaction.atomic
def worklog_save(
    *, actor: Actor, day: dt.date, notes: str | None = None, now: dt.datetime | None = None
) -> WorkLog:
    """Write (or re-count) the actor's own log of ``day``: counts are recomputed each time; ``notes``
    replace the earlier notes when given. A day in the future has no log."""
    now = now or timezone.now()
    hospital = _hospital_of(actor)
    if day > timezone.localtime(now).date():
        raise ValidationError({"day": [_("A work log is written for today or an earlier day.")]})
    counts = worklog_counts(user=actor, day=day, zone=hospital.time_zone)
    log, created = WorkLog.objects.select_for_update().get_or_create(
        author=actor, day=day, defaults={"hospital": hospital, "counted_at": now, **counts}
    )
    changes: dict[str, Any] = {}
    for field, value in counts.items():
        if getattr(log, field) != value:
            changes[field] = [getattr(log, field), value]
            setattr(log, field, value)
    if notes is not None and notes.strip() != log.notes:
        log.notes = notes.strip()
        changes["notes"] = True
    log.counted_at = now
    log.save()
    if created or changes:
        audit_record(
            actor=actor,
            action="worklog.create" if created else "worklog.update",
            obj=log,
            summary=f"{day:%Y-%m-%d}",
            changes={**changes, **({"counts": dict(counts)} if created else {})},
        )
    return log
