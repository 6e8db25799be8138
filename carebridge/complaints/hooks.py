"""Registrations of complaints (imported by ``ComplaintsConfig.ready``): a patient's complaints,
compliments and suggestions on the patient timeline, in the user's scope."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from carebridge.complaints.choices import FeedbackKind
from carebridge.core.timeline import TimelineEntry, register

_ICONS: dict[str, str] = {
    FeedbackKind.COMPLAINT: "exclamation-triangle",
    FeedbackKind.COMPLIMENT: "hand-thumbs-up",
    FeedbackKind.SUGGESTION: "lightbulb",
}


@register
def complaint_entries(patient: Any, user: Any) -> Iterator[TimelineEntry]:
    from carebridge.complaints.selectors.complaints import complaint_list

    for complaint in complaint_list(user=user).filter(patient=patient).order_by("-received_at", "-id")[:50]:
        yield TimelineEntry(
            at=complaint.received_at,
            # The entry kind keeps the name it had when complaints were part of the desk app.
            kind=f"desk.{complaint.kind}",
            title=f"{complaint.get_kind_display()} {complaint.reference} · "
            f"{complaint.get_category_display()}",
            detail=f"{complaint.get_status_display()} · {complaint.content[:60]}",
            icon=_ICONS.get(complaint.kind, "chat"),
        )
