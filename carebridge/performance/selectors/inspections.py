"""Reading inspection rounds and findings (scoped by ``restrict()``), a department head's own findings,
and each department's findings of a month — the figures the scorecard reads, with the rows behind them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carebridge.core.scope import restrict
from carebridge.performance.choices import FindingStatus
from carebridge.performance.models import Finding, InspectionArea, InspectionRound

DONE = (FindingStatus.RECTIFIED, FindingStatus.VERIFIED)


def _findings(user: Any) -> QuerySet[Finding]:
    return restrict(Finding.objects.all(), user).select_related(
        "area", "department", "responsible__staff", "round__inspector__staff"
    )


def in_time_q() -> Q:
    """Rectified (and not sent back) on or before the deadline day, hospital time."""
    return Q(status__in=DONE, rectified_at__date__lte=F("deadline"))


def late_q(today: dt.date) -> Q:
    """Not rectified by the deadline: still open after it, or rectified only after it."""
    return Q(status=FindingStatus.OPEN, deadline__lt=today) | Q(
        status__in=DONE, rectified_at__date__gt=F("deadline")
    )


def finding_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Finding]:
    """Filters: ``status``, ``department`` (id), ``round`` (id), ``month`` (``YYYY-MM`` of the deadline),
    ``overdue`` (open past the deadline now), ``escalated``, ``late`` (not rectified by the deadline),
    ``in_time`` (rectified by it), ``mine`` (assigned to the user)."""
    filters = filters or {}
    rows = _findings(user)
    today = timezone.localdate()
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("department"):
        rows = rows.filter(department_id=int(filters["department"]))
    if filters.get("round"):
        rows = rows.filter(round_id=int(filters["round"]))
    if filters.get("month"):
        year, month = (int(part) for part in str(filters["month"]).split("-", 1))
        rows = rows.filter(deadline__year=year, deadline__month=month)
    if filters.get("overdue"):
        rows = rows.filter(status=FindingStatus.OPEN, deadline__lt=today)
    if filters.get("escalated"):
        rows = rows.filter(escalated_at__isnull=False)
    if filters.get("late"):
        rows = rows.filter(late_q(today))
    if filters.get("in_time"):
        rows = rows.filter(in_time_q())
    if filters.get("mine"):
        rows = rows.filter(responsible_id=user.pk)
    return rows.order_by("-found_at", "-id")


def finding_get(*, user: Any, pk: int) -> Finding:
    return get_object_or_404(_findings(user).prefetch_related("photos", "transitions__actor__staff"), pk=pk)


def head_findings(*, user: Any) -> QuerySet[Finding]:
    """The department head's page: unresolved findings of their departments, escalated and overdue first."""
    return (
        _findings(user)
        .filter(status__in=(FindingStatus.OPEN, FindingStatus.RECTIFIED))
        .order_by(F("escalated_at").desc(nulls_last=True), "deadline", "id")
    )


def round_list(*, user: Any) -> QuerySet[InspectionRound]:
    return (
        restrict(InspectionRound.objects.all(), user)
        .select_related("inspector__staff")
        .annotate(findings_count=Count("findings"))
        .order_by("-held_on", "-id")
    )


def round_get(*, user: Any, pk: int) -> InspectionRound:
    return get_object_or_404(
        restrict(InspectionRound.objects.all(), user).select_related("inspector__staff"), pk=pk
    )


def area_list(*, user: Any) -> QuerySet[InspectionArea]:
    return (
        restrict(InspectionArea.objects.filter(is_active=True), user)
        .select_related("department")
        .order_by("name")
    )


@dataclass(frozen=True)
class DepartmentMonth:
    """A department's findings whose deadline falls in the month."""

    department_id: int
    department: str
    due: int
    in_time: int
    late: int
    escalated: int

    @property
    def in_time_rate(self) -> float | None:
        decided = self.in_time + self.late
        return self.in_time / decided if decided else None


def department_findings_month(
    *, user: Any, year: int, month: int, today: dt.date | None = None
) -> list[DepartmentMonth]:
    """Per department: findings due in the month, rectified in time, not rectified by the deadline
    (the scorecard's "late" count), and escalated. Drill down with :func:`finding_list` and the same
    ``month`` and ``department`` plus ``in_time`` / ``late`` / ``escalated``."""
    today = today or timezone.localdate()
    rows = (
        restrict(Finding.objects.all(), user)
        .filter(deadline__year=year, deadline__month=month)
        .values("department_id", "department__name")
        .annotate(
            due=Count("id"),
            in_time=Count("id", filter=in_time_q()),
            late=Count("id", filter=late_q(today)),
            escalated=Count("id", filter=Q(escalated_at__isnull=False)),
        )
        .order_by("department__name", "department_id")
    )
    return [
        DepartmentMonth(
            r["department_id"], r["department__name"], r["due"], r["in_time"], r["late"], r["escalated"]
        )
        for r in rows
    ]
