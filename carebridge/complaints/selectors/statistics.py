"""Aggregates of complaints: by category, department, severity and month, and compliments credited to the
staff and departments named (for the balanced scorecard). Aggregates only: no complainant is shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from carebridge.complaints.choices import CATEGORY_DOMAIN, Category, FeedbackKind, HcatDomain, Severity
from carebridge.complaints.models import Complaint
from carebridge.complaints.selectors.complaints import complaints_in_scope
from carebridge.core.models import Hospital
from carebridge.core.types import Actor


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    count: int


def statistics_base(*, user: Actor) -> QuerySet[Complaint]:
    """The cases whose counts the user may see: ``complaints.view_complaint_statistics``, in the same scope
    as the cases themselves (leaders count their hospital's cases without reading any)."""
    if not user.has_perm("complaints.view_complaint_statistics"):
        return Complaint.objects.none()
    return complaints_in_scope(user=user)


def complaint_statistics(*, queryset: QuerySet[Complaint]) -> dict[str, list[StatRow]]:
    """Counts of the given (already scoped and filtered) cases by category, HCAT domain, department,
    severity, kind and month."""
    ids = queryset.order_by().values("pk")
    base = Complaint.objects.filter(pk__in=ids).order_by()
    by_category = dict(base.values_list("category").annotate(n=Count("id")))
    domains: dict[str, int] = {}
    for category, n in by_category.items():
        domains[CATEGORY_DOMAIN.get(category, "")] = domains.get(CATEGORY_DOMAIN.get(category, ""), 0) + n
    departments = (
        base.filter(departments__isnull=False)
        .values("departments__id", "departments__name")
        .annotate(n=Count("id", distinct=True))
        .order_by("-n", "departments__name")
    )
    months = (
        base.annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    by_severity = dict(base.values_list("severity").annotate(n=Count("id")))
    by_kind = dict(base.values_list("kind").annotate(n=Count("id")))
    return {
        "category": [StatRow(c.value, str(c.label), by_category.get(c.value, 0)) for c in Category],
        "domain": [StatRow(d.value, str(d.label), domains.get(d.value, 0)) for d in HcatDomain],
        "department": [
            StatRow(str(r["departments__id"]), r["departments__name"], r["n"]) for r in departments
        ],
        "severity": [StatRow(str(s.value), str(s.label), by_severity.get(s.value, 0)) for s in Severity],
        "kind": [StatRow(k.value, str(k.label), by_kind.get(k.value, 0)) for k in FeedbackKind],
        "month": [
            StatRow(r["month"].strftime("%Y-%m"), r["month"].strftime("%Y-%m"), r["n"])
            for r in months
            if r["month"] is not None
        ],
    }


def _compliments(
    *, hospital: Hospital, start: dt.date, end: dt.date, user: Actor | None
) -> QuerySet[Complaint]:
    """Compliments received in [start, end] (dates in the hospital's zone). ``user=None`` is a system read
    (the scorecard's monthly computation); with a user, their statistics scope applies."""
    base = statistics_base(user=user) if user is not None else Complaint.objects.all()
    return base.filter(
        hospital=hospital,
        kind=FeedbackKind.COMPLIMENT,
        received_at__date__gte=start,
        received_at__date__lte=end,
    )


def compliments_by_staff(
    *, hospital: Hospital, start: dt.date, end: dt.date, user: Actor | None = None
) -> list[dict[str, Any]]:
    """``[{"staff_id", "staff_name", "department_id", "compliments"}]``, most praised first."""
    ids = _compliments(hospital=hospital, start=start, end=end, user=user).values("pk")
    rows = (
        Complaint.staff.through.objects.filter(complaint_id__in=ids)
        .values("staff_id", "staff__name", "staff__home_department_id")
        .annotate(compliments=Count("complaint_id", distinct=True))
        .order_by("-compliments", "staff__name")
    )
    return [
        {
            "staff_id": r["staff_id"],
            "staff_name": r["staff__name"],
            "department_id": r["staff__home_department_id"],
            "compliments": r["compliments"],
        }
        for r in rows
    ]


def compliments_by_department(
    *, hospital: Hospital, start: dt.date, end: dt.date, user: Actor | None = None
) -> list[dict[str, Any]]:
    """``[{"department_id", "department_name", "compliments"}]``, most praised first."""
    ids = _compliments(hospital=hospital, start=start, end=end, user=user).values("pk")
    rows = (
        Complaint.departments.through.objects.filter(complaint_id__in=ids)
        .values("department_id", "department__name")
        .annotate(compliments=Count("complaint_id", distinct=True))
        .order_by("-compliments", "department__name")
    )
    return [
        {
            "department_id": r["department_id"],
            "department_name": r["department__name"],
            "compliments": r["compliments"],
        }
        for r in rows
    ]
