"""The centre's statistics (篇7 1, 2.2.3; 篇8 3): customers per period by sex, age (mean ± SD), occupation
class and employer; spend per person; returning, new and lost customers (examined last period, not this
one); turnaround from the visit to the report's release (p50/p95, share within the target days); room
waits. Every figure has a key, and :func:`drill` returns the rows the figure counts — the page links
each number to them and the tests check that the two agree.

A customer is a person with at least one visit of the period that took place (checked in or later);
their age is the age at the first such visit; their occupation class and group are those of that visit.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.checkup.choices import EXAMINED_STATUSES, OccupationClass
from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.domain.statistics import MeanSd, mean_sd, percentile, share
from carebridge.checkup.models import QueueEntry, Visit
from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.patients.choices import Sex

TARGET_DAYS = 7


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def previous(self) -> Period:
        """The period of the same length just before (a year before for a calendar year, the month
        before for a calendar month)."""
        if (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31):
            return Period(
                self.start.replace(year=self.start.year - 1), self.end.replace(year=self.end.year - 1)
            )
        if self.start.day == 1 and self.end == _month_end(self.start):
            before = self.start - dt.timedelta(days=1)
            return Period(before.replace(day=1), before)
        length = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period(end - length, end)


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def month_period(year: int, month: int) -> Period:
    first = dt.date(year, month, 1)
    return Period(first, _month_end(first))


_VISIT_FIELDS = (
    "id",
    "number",
    "patient_id",
    "patient__name",
    "patient__sex",
    "patient__birth_date",
    "scheduled_for",
    "occupation_class",
    "group_id",
    "group__name",
    "price",
    "checked_in_at",
    "released_at",
)


def _visits(user: Actor, period: Period, permission: str | None = None) -> list[dict[str, Any]]:
    return list(
        restrict(Visit.objects.all(), user, permission=permission)
        .filter(status__in=EXAMINED_STATUSES, scheduled_for__gte=period.start, scheduled_for__lte=period.end)
        .order_by("scheduled_for", "id")
        .values(*_VISIT_FIELDS)
    )


def _first_visits(rows: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    first: dict[int, dict[str, Any]] = {}
    for row in rows:  # ordered by date, then id
        first.setdefault(row["patient_id"], row)
    return first


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    n: int
    share: float | None = None


@dataclass
class Turnaround:
    n: int
    p50: float | None
    p95: float | None
    within: int
    target_days: int

    @property
    def share_within(self) -> float | None:
        return share(self.within, self.n)


@dataclass(frozen=True)
class RoomWait:
    key: str
    room: str
    n: int
    mean: float | None
    p50: float | None
    p95: float | None


@dataclass
class Statistics:
    period: Period
    previous: Period
    customers: int
    visits: int
    by_sex: list[Count]
    age: MeanSd
    by_occupation: list[Count]
    by_group: list[Count]
    revenue: Decimal
    returning: int
    new: int
    lost: int
    turnaround: Turnaround
    room_waits: list[RoomWait] = field(default_factory=list)

    @property
    def spend_per_person(self) -> Decimal | None:
        return (self.revenue / self.customers).quantize(Decimal("0.01")) if self.customers else None

    @property
    def churn(self) -> float | None:
        """Lost customers as a share of the previous period's (客户流失率)."""
        return share(self.lost, self.returning + self.lost)


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _turnaround_days(row: dict[str, Any]) -> int | None:
    start, end = _local_date(row["checked_in_at"]), _local_date(row["released_at"])
    return (end - start).days if start and end else None


def _released(user: Actor, period: Period, permission: str | None = None) -> list[dict[str, Any]]:
    """Visits whose report was released in the period (turnaround is counted when it ends)."""
    rows = (
        restrict(Visit.objects.all(), user, permission=permission)
        .filter(released_at__isnull=False, checked_in_at__isnull=False)
        .order_by("released_at", "id")
        .values(*_VISIT_FIELDS)
    )
    return [row for row in rows if period.start <= _local_date(row["released_at"]) <= period.end]  # type: ignore[operator]


def _queue_entries(user: Actor, period: Period, permission: str | None = None) -> QuerySet[QueueEntry]:
    return (
        restrict(QueueEntry.objects.all(), user, permission=permission)
        .filter(
            started_at__isnull=False,
            visit__scheduled_for__gte=period.start,
            visit__scheduled_for__lte=period.end,
        )
        .select_related("room", "visit__patient")
        .order_by("room__sequence", "room_id", "joined_at", "id")
    )


def _wait_minutes(entry: QueueEntry) -> float:
    return (entry.started_at - entry.joined_at).total_seconds() / 60  # type: ignore[operator]


def statistics(
    *, user: Actor, period: Period, target_days: int = TARGET_DAYS, permission: str | None = None
) -> Statistics:
    """The figures of ``period``. ``permission`` replaces the model's view permission for a page of
    aggregates only (the leadership's report on the centre, ``reports``), as ``restrict()`` allows."""
    rows = _visits(user, period, permission)
    first = _first_visits(rows)
    previous_period = period.previous()
    before = {row["patient_id"] for row in _visits(user, previous_period, permission)}
    now_ids = set(first)
    sexes = Counter(row["patient__sex"] for row in first.values())
    ages = [
        age
        for row in first.values()
        if (age := age_on(row["patient__birth_date"], row["scheduled_for"])) is not None
    ]
    occupations = Counter(row["occupation_class"] for row in first.values())
    groups = Counter((row["group_id"], row["group__name"]) for row in first.values())
    total = len(first)
    released = _released(user, period, permission)
    days = [d for row in released if (d := _turnaround_days(row)) is not None]
    waits: dict[int, list[float]] = defaultdict(list)
    names: dict[int, str] = {}
    for entry in _queue_entries(user, period, permission):
        waits[entry.room_id].append(_wait_minutes(entry))
        names[entry.room_id] = entry.room.name
    return Statistics(
        period=period,
        previous=previous_period,
        customers=total,
        visits=len(rows),
        by_sex=[
            Count(f"sex:{value}", str(label), sexes[value], share(sexes[value], total))
            for value, label in Sex.choices
            if sexes[value]
        ],
        age=mean_sd([float(a) for a in ages]),
        by_occupation=[
            Count(f"occupation:{value}", str(label), occupations[value], share(occupations[value], total))
            for value, label in OccupationClass.choices
        ],
        by_group=[
            Count(f"group:{group_id or 'none'}", name or _("Individuals"), n, share(n, total))
            for (group_id, name), n in sorted(groups.items(), key=lambda kv: (-kv[1], kv[0][1] or ""))
        ],
        revenue=sum((row["price"] for row in rows), Decimal(0)),
        returning=len(now_ids & before),
        new=len(now_ids - before),
        lost=len(before - now_ids),
        turnaround=Turnaround(
            n=len(days),
            p50=percentile([float(d) for d in days], 50),
            p95=percentile([float(d) for d in days], 95),
            within=sum(1 for d in days if d <= target_days),
            target_days=target_days,
        ),
        room_waits=[
            RoomWait(
                key=f"room:{room_id}",
                room=names[room_id],
                n=len(values),
                mean=sum(values) / len(values),
                p50=percentile(values, 50),
                p95=percentile(values, 95),
            )
            for room_id, values in waits.items()
        ],
    )


# --- drill-down ----------------------------------------------------------------------------------------


@dataclass
class Drill:
    title: str
    header: list[str]
    rows: list[list[Any]]
    links: list[int | None] = field(default_factory=list)  # the visit behind each row, for the page


def _customer_rows(first: dict[int, dict[str, Any]], patient_ids: set[int] | None = None) -> Drill:
    sexes, occupations = dict(Sex.choices), dict(OccupationClass.choices)
    chosen = [row for pid, row in first.items() if patient_ids is None or pid in patient_ids]
    return Drill(
        title="",
        header=[
            _("Visit number"),
            _("Date"),
            _("Name"),
            _("Sex"),
            _("Age"),
            _("Occupation class"),
            _("Employer group"),
        ],
        rows=[
            [
                row["number"],
                row["scheduled_for"].isoformat(),
                row["patient__name"],
                str(sexes.get(row["patient__sex"], "")),
                age_on(row["patient__birth_date"], row["scheduled_for"]),
                str(occupations.get(row["occupation_class"], "")),
                row["group__name"] or "",
            ]
            for row in chosen
        ],
        links=[row["id"] for row in chosen],
    )


def drill(*, user: Actor, period: Period, key: str, target_days: int = TARGET_DAYS) -> Drill:  # noqa: PLR0911
    """The rows behind the figure ``key`` (see :class:`Statistics`); ``ValueError`` for an unknown key."""
    rows = _visits(user, period)
    first = _first_visits(rows)
    kind, _sep, value = key.partition(":")
    if kind == "customers":
        return _titled(_customer_rows(first), _("Customers"))
    if kind == "age":
        ids = {pid for pid, row in first.items() if row["patient__birth_date"] is not None}
        return _titled(_customer_rows(first, ids), _("Customers with a known age"))
    if kind == "sex":
        return _titled(
            _customer_rows(first, {pid for pid, r in first.items() if r["patient__sex"] == value}),
            _("Customers"),
        )
    if kind == "occupation":
        ids = {pid for pid, r in first.items() if r["occupation_class"] == value}
        return _titled(_customer_rows(first, ids), _("Customers"))
    if kind == "group":
        wanted = None if value == "none" else int(value)
        return _titled(
            _customer_rows(first, {pid for pid, r in first.items() if r["group_id"] == wanted}),
            _("Customers"),
        )
    if kind in ("returning", "new", "lost"):
        before_rows = _visits(user, period.previous())
        before = _first_visits(before_rows)
        ids = {
            "returning": set(first) & set(before),
            "new": set(first) - set(before),
            "lost": set(before) - set(first),
        }[kind]
        return _titled(_customer_rows(before if kind == "lost" else first, ids), _("Customers"))
    if kind in ("visits", "spend"):
        return Drill(
            title=_("Visits"),
            header=[_("Visit number"), _("Date"), _("Name"), _("Employer group"), _("Price (yuan)")],
            rows=[
                [
                    r["number"],
                    r["scheduled_for"].isoformat(),
                    r["patient__name"],
                    r["group__name"] or "",
                    r["price"],
                ]
                for r in rows
            ],
            links=[r["id"] for r in rows],
        )
    if kind in ("turnaround", "turnaround_within"):
        released = [r for r in _released(user, period) if _turnaround_days(r) is not None]
        if kind == "turnaround_within":
            released = [r for r in released if (_turnaround_days(r) or 0) <= target_days]
        return Drill(
            title=_("Reports released"),
            header=[_("Visit number"), _("Checked in"), _("Released"), _("Days"), _("Name")],
            rows=[
                [
                    r["number"],
                    _local_date(r["checked_in_at"]).isoformat(),  # type: ignore[union-attr]
                    _local_date(r["released_at"]).isoformat(),  # type: ignore[union-attr]
                    _turnaround_days(r),
                    r["patient__name"],
                ]
                for r in released
            ],
            links=[r["id"] for r in released],
        )
    if kind == "room":
        entries = [e for e in _queue_entries(user, period) if str(e.room_id) == value]
        return Drill(
            title=entries[0].room.name if entries else _("Room"),
            header=[_("Visit number"), _("Name"), _("Joined at"), _("Called in at"), _("Wait (min)")],
            rows=[
                [
                    e.visit.number,
                    e.visit.patient.name,
                    timezone.localtime(e.joined_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(e.started_at).strftime("%H:%M"),
                    round(_wait_minutes(e), 1),
                ]
                for e in entries
            ],
            links=[e.visit_id for e in entries],
        )
    raise ValueError(key)


def _titled(drilled: Drill, title: str) -> Drill:
    drilled.title = title
    return drilled
