"""Reading the ward programme's daily syncs and meetings, scoped through ``restrict()``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from carebridge.core.scope import restrict
from carebridge.followup.models import WardMeeting, WardSync


def sync_list(*, user: Any, department: int | None = None) -> QuerySet[WardSync]:
    rows = restrict(WardSync.objects.select_related("department", "ward", "project_manager"), user)
    if department:
        rows = rows.filter(department_id=department)
    return rows.prefetch_related("attendees").order_by("-held_on", "-id")


def sync_get(*, user: Any, pk: int) -> WardSync:
    return get_object_or_404(sync_list(user=user), pk=pk)


def meeting_list(*, user: Any, kind: str = "") -> QuerySet[WardMeeting]:
    rows = restrict(WardMeeting.objects.select_related("department", "chaired_by"), user)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-held_on", "-id")


def meeting_get(*, user: Any, pk: int) -> WardMeeting:
    return get_object_or_404(meeting_list(user=user), pk=pk)
