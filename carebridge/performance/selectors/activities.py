"""Reading activities (scoped), the health-day calendar, and the statistics per period and type — the
yearly summary table the seed reports (counts, 人次, hours, materials, cost)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.shortcuts import get_object_or_404

from carebridge.core.scope import restrict
from carebridge.performance.choices import ActivityKind
from carebridge.performance.models import Activity, HealthDay, Screening

SUMMED = ("attendees", "participants", "hours", "boards", "banners", "leaflets", "prescriptions", "cost")


def activity_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Activity]:
    """Filters: ``kind``, ``year``, ``month``, ``search`` (title, place, partner, outlet), ``health_day``."""
    filters = filters or {}
    rows = restrict(Activity.objects.all(), user).select_related("organiser", "health_day")
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("year"):
        rows = rows.filter(held_on__year=int(filters["year"]))
    if filters.get("month"):
        rows = rows.filter(held_on__month=int(filters["month"]))
    if filters.get("health_day"):
        rows = rows.filter(health_day_id=int(filters["health_day"]))
    if filters.get("search"):
        term = str(filters["search"]).strip()
        rows = rows.filter(
            Q(title__icontains=term)
            | Q(place__icontains=term)
            | Q(partner__icontains=term)
            | Q(outlet__icontains=term)
        )
    return rows.order_by("-held_on", "-id")


def activity_get(*, user: Any, pk: int) -> Activity:
    return get_object_or_404(
        restrict(Activity.objects.all(), user)
        .select_related("organiser", "health_day")
        .prefetch_related("attachments"),
        pk=pk,
    )


def screening_list(*, user: Any, activity: Activity) -> QuerySet[Screening]:
    return (
        restrict(Screening.objects.filter(activity=activity), user)
        .select_related("patient", "visit")
        .order_by("consent_at", "id")
    )


@dataclass(frozen=True)
class SummaryRow:
    kind: str
    label: str
    count: int
    attendees: int
    participants: int
    hours: Decimal
    boards: int
    banners: int
    leaflets: int
    prescriptions: int
    cost: Decimal


def _row(kind: str, label: str, values: dict[str, Any]) -> SummaryRow:
    return SummaryRow(
        kind=kind,
        label=label,
        count=values.get("count") or 0,
        attendees=values.get("attendees") or 0,
        participants=values.get("participants") or 0,
        hours=values.get("hours") or Decimal(0),
        boards=values.get("boards") or 0,
        banners=values.get("banners") or 0,
        leaflets=values.get("leaflets") or 0,
        prescriptions=values.get("prescriptions") or 0,
        cost=values.get("cost") or Decimal(0),
    )


def yearly_summary(*, user: Any, year: int) -> tuple[list[SummaryRow], SummaryRow]:
    """One row per activity type (every type, zero when none was held) and the total — the seed's
    "全年共开展___期___余人次" table. Each figure is a count or sum over ``activity_list(year=…)``."""
    rows = activity_list(user=user, filters={"year": year}).order_by()
    sums = {name: Sum(name) for name in SUMMED}
    by_kind = {r["kind"]: r for r in rows.values("kind").annotate(count=Count("id"), **sums)}
    table = [_row(kind, str(label), by_kind.get(kind, {})) for kind, label in ActivityKind.choices]
    total = _row("", "", rows.aggregate(count=Count("id"), **sums))
    return table, total


def monthly_counts(*, user: Any, year: int) -> list[tuple[int, dict[str, int]]]:
    """Activities per month and type (statistics per period): ``[(month, {kind: count})]`` for 1–12."""
    rows = (
        activity_list(user=user, filters={"year": year})
        .order_by()
        .annotate(m=ExtractMonth("held_on"))
        .values("m", "kind")
        .annotate(n=Count("id"))
    )
    months: dict[int, dict[str, int]] = {m: dict.fromkeys(ActivityKind.values, 0) for m in range(1, 13)}
    for r in rows:
        months[r["m"]][r["kind"]] = r["n"]
    return sorted(months.items())


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    health_day: HealthDay
    activities: list[Activity]


def health_day_calendar(*, user: Any, year: int) -> list[CalendarDay]:
    """The year's health days in date order with the activities held for each."""
    days = restrict(HealthDay.objects.filter(is_active=True), user).order_by("month", "day", "id")
    held: dict[int, list[Activity]] = {}
    for activity in activity_list(user=user, filters={"year": year}).filter(health_day__isnull=False):
        assert activity.health_day_id is not None  # noqa: S101 - filtered above
        held.setdefault(activity.health_day_id, []).append(activity)
    calendar = []
    for day in days:
        try:
            date = dt.date(year, day.month, day.day)
        except ValueError:
            continue  # 2-29 in a common year
        calendar.append(CalendarDay(date, day, held.get(day.pk, [])))
    return calendar
