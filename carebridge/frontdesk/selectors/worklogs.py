"""Reads of work logs (工作日志): the counts of an agent's day, and the logs a user may read."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from carebridge.complaints.models import Complaint
from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.frontdesk.choices import EscortStatus
from carebridge.frontdesk.models import Escort, Inquiry, WorkLog


class DayCounts(TypedDict):
    inquiries_answered: int
    escorts_done: int
    complaints_received: int


def day_bounds(day: dt.date, zone: str) -> tuple[dt.datetime, dt.datetime]:
    tz = ZoneInfo(zone)
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def worklog_counts(*, user: Any, day: dt.date, zone: str = "Asia/Shanghai") -> DayCounts:
    """What the agent did that (local) day: inquiries answered, escorts finished, complaints received."""
    start, end = day_bounds(day, zone)
    staff = getattr(user, "staff", None)
    return {
        "inquiries_answered": Inquiry.objects.filter(
            answered_by=user, answered_at__gte=start, answered_at__lt=end
        ).count(),
        "escorts_done": Escort.objects.filter(
            assigned_to=staff, status=EscortStatus.DONE, done_at__gte=start, done_at__lt=end
        ).count()
        if staff is not None
        else 0,
        "complaints_received": Complaint.objects.filter(
            owner=user, received_at__gte=start, received_at__lt=end
        ).count(),
    }


def worklog_list(*, user: Actor) -> QuerySet[WorkLog]:
    """One's own logs; with ``desk.review_worklogs``, the logs of the agents whose home department is in
    one's scope (the whole hospital for hospital-wide roles)."""
    if not user.has_perm("frontdesk.view_worklog"):
        return WorkLog.objects.none()
    scope = scope_for(user)
    own = Q(author=user)
    if not user.has_perm("frontdesk.review_worklogs") or scope.is_empty:
        return WorkLog.objects.filter(own).select_related("author__staff")
    team = scope.q(hospital="hospital", department="author__staff__home_department")
    return WorkLog.objects.filter(own | team).select_related("author__staff")
