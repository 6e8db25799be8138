"""The personal health record (个人电子健康档案, 篇8 2.3): every visit and result across the years,
the trends of key values and the risk level of each visit — "数据化、标准化、连续化" (篇6)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404
from django.utils.safestring import SafeString

from carebridge.checkup.choices import EXAMINED_STATUSES
from carebridge.checkup.domain.trends import Point, trend_svg
from carebridge.checkup.domain.units import unit_label
from carebridge.checkup.models import Item, Result, Visit
from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.patients.models import Patient


@dataclass(frozen=True)
class RecordRow:
    item: Item
    cells: list[Result | None]


@dataclass(frozen=True)
class HealthRecord:
    patient: Patient
    visits: list[Visit]
    rows: list[RecordRow]
    trends: list[SafeString]


def health_record(*, user: Actor, patient_id: int) -> HealthRecord:
    """The record of a person whose visits the user may see (404 when none is in scope)."""
    if not user.has_perm("checkup.view_health_record"):
        raise Http404("No health record in your scope.")
    visits = list(
        restrict(Visit.objects.all(), user)
        .filter(patient_id=patient_id, status__in=EXAMINED_STATUSES)
        .select_related("patient", "package", "group")
        .order_by("scheduled_for", "id")
    )
    if not visits:
        raise Http404("No health record in your scope.")
    results = list(
        Result.objects.filter(visit__in=visits)
        .select_related("item", "visit")
        .prefetch_related("item__coded_values")
        .order_by("item__sequence", "item_id", "visit__scheduled_for", "id")
    )
    column = {visit.pk: index for index, visit in enumerate(visits)}
    by_item: dict[int, list[Result | None]] = {}
    items: dict[int, Item] = {}
    history: dict[int, list[Point]] = defaultdict(list)
    for result in results:
        items[result.item_id] = result.item
        cells = by_item.setdefault(result.item_id, [None] * len(visits))
        cells[column[result.visit_id]] = result
        if result.item.is_key and result.value_numeric is not None:
            history[result.item_id].append(
                Point(result.visit.scheduled_for, result.value_numeric, result.flag)
            )
    rows = [RecordRow(items[item_id], cells) for item_id, cells in by_item.items()]
    charts = []
    for item_id, points in history.items():
        if len(points) >= 2:
            latest = next(r for r in reversed(by_item[item_id]) if r is not None)
            charts.append(
                trend_svg(
                    points,
                    title=items[item_id].name,
                    unit=unit_label(items[item_id].unit),
                    low=latest.ref_low,
                    high=latest.ref_high,
                )
            )
    return HealthRecord(patient=visits[0].patient, visits=visits, rows=rows, trends=charts)
