"""Timeline entries of follow-up: a patient's touchpoints and call attempts, in the user's scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from carebridge.core.timeline import TimelineEntry, register
from carebridge.followup.choices import CallOutcome


@register
def followup_entries(patient: Any, user: Any) -> Iterator[TimelineEntry]:
    from carebridge.followup.selectors import attempt_list, touchpoint_list

    touchpoints = (
        touchpoint_list(user=user)
        .filter(plan__patient=patient, completed_at__isnull=False)
        .order_by("-completed_at")[:50]
    )
    for touchpoint in touchpoints:
        assert touchpoint.completed_at is not None  # noqa: S101 - filtered above
        yield TimelineEntry(
            at=touchpoint.completed_at,
            kind=f"followup.{touchpoint.kind}",
            title=f"{touchpoint.title} · {touchpoint.get_status_display()}",
            detail=(touchpoint.outcome or touchpoint.closed_reason or touchpoint.notes)[:80],
            icon="clipboard-check",
        )
    attempts = (
        attempt_list(user=user)
        .filter(touchpoint__plan__patient=patient)
        .select_related("touchpoint")
        .order_by("-at")[:50]
    )
    for attempt in attempts:
        yield TimelineEntry(
            at=attempt.at,
            kind="followup.attempt",
            title=f"{attempt.get_channel_display()} · {attempt.get_outcome_display()}",
            detail=f"{attempt.touchpoint.title} {attempt.notes[:60]}".strip(),
            icon="telephone" if attempt.outcome == CallOutcome.REACHED else "telephone-x",
        )
