"""The queue API's rows written by hand (issue 18, item 2).

``GET /api/v1/followup/queue/`` returns up to 200 calls in :class:`TouchpointSerializer`'s shape. Run
through DRF, serialising them cost most of the request (41 of 58 ms in the issue's profile: a field
object, a ``get_attribute`` and a ``to_representation`` per field and row, and a model instance per
row with four related ones). Here the queue is read as plain values (one query, the same joins, compiled
once per user) and each row is composed directly. Its date-times are the instants the API's
``DateTimeField`` writes (:func:`rfc3339_instant`, with the request's time zone read once, not twice per
row through the thread-local), left for orjson to write (the view's ``rfc3339_instants``): Python's
``isoformat()`` of 400 date-times was a fifth of the request's CPU.
``tests/api/test_queue_rows.py`` holds both outputs equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import router
from django.db.models import QuerySet
from django.utils import timezone

from carebridge.core.api.serializers.fields import rfc3339_instant
from carebridge.core.prepared import STAND_IN_TIME, PreparedQuery
from carebridge.core.scope import scope_variant
from carebridge.followup.models import Touchpoint
from carebridge.followup.selectors.calls import call_queue

# (output key, the queryset's value) in TouchpointSerializer.Meta.fields order.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id"),
    ("plan", "plan_id"),
    ("kind", "kind"),
    ("sequence", "sequence"),
    ("title", "title"),
    ("owner_rule", "owner_rule"),
    ("owner", "owner_id"),
    ("owner_name", "owner__name"),
    ("tier", "tier"),
    ("status", "status"),
    ("step", "step"),
    ("due_at", "due_at"),
    ("available_at", "available_at"),
    ("claimed_by", "claimed_by__username"),
    ("claimed_until", "claimed_until"),
    ("trigger", "trigger"),
    ("event_at", "event_at"),
    ("event_description", "event_description"),
    ("notes", "notes"),
    ("outcome", "outcome"),
    ("completed_at", "completed_at"),
    ("closed_reason", "closed_reason"),
    ("patient", "patient_id"),
    ("patient_name", "patient__name"),
    ("department", "department__code"),
    ("reason", "reason"),
    ("origin_label", "origin_label"),
    ("recheck_outcome", "recheck_outcome"),
)
DATETIMES = frozenset({"due_at", "available_at", "claimed_until", "event_at", "completed_at"})


# The queue API's length.
QUEUE_LENGTH = 200


def _queue_values(*, user: Any, now: dt.datetime) -> QuerySet[Touchpoint, Any]:
    return call_queue(user=user, now=now)[:QUEUE_LENGTH].values_list(*(value for _, value in COLUMNS))


# Compiled once per user (core.prepared): it was 1.6 of the rows' 3.5 ms of CPU.
_QUEUE = PreparedQuery(_queue_values, stand_ins={"now": STAND_IN_TIME})


def queue_rows(*, user: Any, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The serializer's output for the first :data:`QUEUE_LENGTH` calls of the user's queue, its
    date-times as :func:`rfc3339_instant` (the same JSON text once rendered)."""
    values = _QUEUE.rows(
        using=router.db_for_read(Touchpoint),
        variant=scope_variant(user),
        user=user,
        now=now or timezone.now(),
    )
    # The instants the API's DateTimeField writes (RFC 3339 in the current zone), without the field's
    # per-value checks: 400 values a request were a third of its CPU.
    zone = timezone.get_current_timezone()
    keys = [key for key, _ in COLUMNS]
    return [_row(keys, row, zone) for row in values]


def _row(keys: list[str], values: Iterable[Any], zone: dt.tzinfo) -> dict[str, Any]:
    row = dict(zip(keys, values, strict=True))
    for key in DATETIMES:
        if row[key] is not None:
            row[key] = rfc3339_instant(row[key], zone)
    if row["department"] is None:  # the serializer's default for a call without a department
        row["department"] = ""
    return row
