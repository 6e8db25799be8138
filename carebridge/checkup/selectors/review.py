"""Reads for the chief examiner and the report: the visit's results beside the same items of the
person's previous visits, the library's suggestions, the quality checks, the trends of key values.

The previous visits are the person's earlier signed or released visits at the same hospital (the
health record is 连续化: compared year on year).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.domain.trends import Point, trend_svg
from carebridge.checkup.domain.units import unit_label
from carebridge.checkup.models import Result, Visit
from carebridge.core.scope import restrict
from carebridge.core.types import Actor

REPORTED = (VisitStatus.SIGNED, VisitStatus.RELEASED)
PREVIOUS_SHOWN = 3
TREND_POINTS = 6


def review_queue(*, user: Actor) -> QuerySet[Visit]:
    """Visits waiting for the chief examiner: the person has left, nobody signed yet (oldest first)."""
    return (
        restrict(Visit.objects.filter(status=VisitStatus.EXAMINED), user)
        .select_related("patient", "package", "group")
        .order_by("scheduled_for", "examined_at", "id")
    )


def release_queue(*, user: Actor) -> QuerySet[Visit]:
    return (
        restrict(Visit.objects.filter(status=VisitStatus.SIGNED), user)
        .select_related("patient", "examiner__staff")
        .order_by("signed_at", "id")
    )


def earlier_visits(visit: Visit, *, user: Actor) -> list[Visit]:
    """The person's earlier reported visits in the user's scope, newest first."""
    return list(
        restrict(Visit.objects.all(), user)
        .filter(
            patient_id=visit.patient_id,
            status__in=REPORTED,
            scheduled_for__lt=visit.scheduled_for,
        )
        .order_by("-scheduled_for", "-id")
    )


@dataclass
class ResultRow:
    result: Result
    previous: list[Result | None] = field(default_factory=list)


@dataclass
class SideBySide:
    earlier: list[Visit]
    rows: list[ResultRow]


def side_by_side(visit: Visit, *, user: Actor, results: list[Result]) -> SideBySide:
    """Each result of the visit with the same item's result at each of the last earlier visits."""
    earlier = earlier_visits(visit, user=user)[:PREVIOUS_SHOWN]
    by_visit_item: dict[tuple[int, int], Result] = {
        (r.visit_id, r.item_id): r
        for r in Result.objects.filter(visit__in=earlier)
        .select_related("item")
        .prefetch_related("item__coded_values")
        .order_by("id")
    }
    rows = [ResultRow(r, [by_visit_item.get((e.pk, r.item_id)) for e in earlier]) for r in results]
    return SideBySide(earlier=earlier, rows=rows)


@dataclass(frozen=True)
class Trend:
    item_name: str
    unit: str
    svg: str
    points: tuple[Point, ...]


def trends(visit: Visit, *, user: Actor | None, results: list[Result]) -> list[Trend]:
    """Charts of the key values of this visit over the person's visits up to it (two points or more).

    ``user=None`` reads for the person themself (the public report) — the visits of the same person at
    the same hospital, nothing else."""
    keys = [r for r in results if r.item.is_key and r.value_numeric is not None]
    if not keys:
        return []
    base = Visit.objects.all() if user is None else restrict(Visit.objects.all(), user)
    visits = base.filter(
        patient_id=visit.patient_id,
        hospital_id=visit.hospital_id,
        scheduled_for__lte=visit.scheduled_for,
        status__in=(*REPORTED, VisitStatus.EXAMINED),
    )
    history: dict[int, list[Point]] = defaultdict(list)
    rows = (
        Result.objects.filter(
            visit__in=visits, item_id__in=[r.item_id for r in keys], value_numeric__isnull=False
        )
        .select_related("visit")
        .order_by("visit__scheduled_for", "id")
    )
    for row in rows:
        history[row.item_id].append(Point(row.visit.scheduled_for, row.value_numeric, row.flag))  # type: ignore[arg-type]
    found = []
    for result in keys:
        points = history.get(result.item_id, [])[-TREND_POINTS:]
        if len(points) >= 2:
            found.append(
                Trend(
                    item_name=result.item.name,
                    unit=unit_label(result.unit),
                    svg=trend_svg(
                        points,
                        title=result.item.name,
                        unit=unit_label(result.unit),
                        low=result.ref_low,
                        high=result.ref_high,
                    ),
                    points=tuple(points),
                )
            )
    return found


def results_by_room(results: list[Result]) -> list[tuple[str, list[Result]]]:
    grouped: dict[int, tuple[str, list[Result]]] = {}
    for result in results:
        room = result.item.room
        grouped.setdefault(room.pk, (room.name, []))[1].append(result)
    return list(grouped.values())
