"""A scorecard's scores for a month, quarter or year: every KPI's figure, target, score and band, rolled
up to objectives, perspectives and the total; and the rows behind a computed figure.

Figures are monthly: a computed KPI is counted per month by its registry entry (months before last month
read the precomputed ``KpiMonthValue`` when the nightly refresh has stored one; this month and last month
are always counted live, so a case closed today moves today's figures); a KPI entered by hand reads its
``KpiEntry``; a closed month reads its newest frozen ``ScoreVersion`` instead. A quarter or a year rolls
the months up by the KPI's aggregation (rates: numerators and denominators summed), and targets of
summed KPIs (counts) are per month, so they are multiplied by the months of the span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.lib.periods import add_months, month_start
from carebridge.performance.domain import scoring
from carebridge.performance.domain.periods import MONTH, Span, month_span
from carebridge.performance.models import (
    KpiAssignment,
    KpiEntry,
    KpiMonthValue,
    Scorecard,
    ScorePeriod,
    ScoreVersion,
)
from carebridge.performance.models.scorecards import KpiAggregation, KpiSource, KpiUnit, ScorecardLevel
from carebridge.performance.selectors.kpis.registry import KpiScope, computed_kpi

PERMISSION = "performance.view_scorecards"


def scorecards_visible(*, user: Actor) -> QuerySet[Scorecard]:
    """The scorecards the user may read: the permission and the hospital/department scope; staff
    scorecards of one's own are visible to that person too."""
    return restrict(Scorecard.objects.all(), user, permission=PERMISSION).select_related(
        "hospital", "department", "staff"
    )


def hospital_zone(scorecard: Scorecard) -> ZoneInfo:
    return ZoneInfo(scorecard.hospital.time_zone or settings.TIME_ZONE)


def kpi_scope(scorecard: Scorecard, assignment: KpiAssignment | None = None) -> KpiScope:
    """Where the scorecard's KPIs are counted."""
    parameters: dict[str, Any] = {}
    if assignment is not None:
        definition = computed_kpi(assignment.kpi.code)
        parameters = {
            **(dict(definition.parameters) if definition else {}),
            **(assignment.kpi.parameters or {}),
        }
    departments: frozenset[int] | None = None
    if scorecard.level in (ScorecardLevel.DEPARTMENT, ScorecardLevel.CENTRE) and scorecard.department_id:
        departments = frozenset({scorecard.department_id})
    staff = scorecard.staff if scorecard.level == ScorecardLevel.STAFF else None
    return KpiScope(
        hospital_id=scorecard.hospital_id,
        level=scorecard.level,
        department_ids=departments,
        staff_id=staff.pk if staff else None,
        user_id=staff.user_id if staff else None,
        parameters=parameters,
    )


# --- results ---------------------------------------------------------------------------------------


@dataclass
class Figure:
    numerator: float | None
    denominator: float | None
    value: float | None


@dataclass
class KpiResult:
    assignment_id: int
    code: str
    name: str
    unit: str
    direction: str
    source: str
    definition: str
    weight: float
    target: float
    minimum: float
    green_from: float
    amber_from: float
    rule: str
    value: float | None
    numerator: float | None
    denominator: float | None
    score: float | None
    band: str
    rows_url: str = ""
    months_missing: list[str] = field(default_factory=list)


@dataclass
class ObjectiveResult:
    id: int
    name: str
    weight: float
    score: float | None
    coverage: float
    band: str
    kpis: list[KpiResult]


@dataclass
class PerspectiveResult:
    id: int
    kind: str
    name: str
    weight: float
    score: float | None
    coverage: float
    band: str
    objectives: list[ObjectiveResult]


@dataclass
class CardResult:
    scorecard_id: int
    period: str
    total: float | None
    coverage: float
    band: str
    perspectives: list[PerspectiveResult]
    version: int | None = None  # the frozen version shown (a closed month), else None
    reason: str = ""

    def kpis(self) -> list[KpiResult]:
        return [k for p in self.perspectives for o in p.objectives for k in o.kpis]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardResult:
        perspectives = [
            PerspectiveResult(
                **{
                    **p,
                    "objectives": [
                        ObjectiveResult(**{**o, "kpis": [KpiResult(**k) for k in o["kpis"]]})
                        for o in p["objectives"]
                    ],
                }
            )
            for p in data["perspectives"]
        ]
        return cls(**{**data, "perspectives": perspectives})


# --- monthly figures -------------------------------------------------------------------------------


def _month_bounds(month: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    return month_span(month).bounds(zone)


def _live_cutoff(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """Months from this one on are always counted live."""
    return add_months(month_start(now.astimezone(zone).date()), -1)


def computed_month_figure(scorecard: Scorecard, assignment: KpiAssignment, month: dt.date) -> Figure:
    """Count a computed KPI for one month now (no cache)."""
    definition = computed_kpi(assignment.kpi.code)
    if definition is None or scorecard.level not in definition.levels:
        return Figure(None, None, None)
    start, end = _month_bounds(month, hospital_zone(scorecard))
    result = definition.compute(kpi_scope(scorecard, assignment), start, end)
    return Figure(result.numerator, result.denominator, result.value)


def _figures(
    scorecard: Scorecard, assignments: list[KpiAssignment], months: list[dt.date], now: dt.datetime
) -> dict[tuple[int, dt.date], Figure]:
    zone = hospital_zone(scorecard)
    cutoff = _live_cutoff(now, zone)
    kpi_ids = [a.kpi_id for a in assignments]
    entries = {
        (e.kpi_id, e.month): e
        for e in KpiEntry.objects.filter(scorecard=scorecard, kpi_id__in=kpi_ids, month__in=months)
    }
    cached = {
        (c.kpi_id, c.month): c
        for c in KpiMonthValue.objects.filter(
            scorecard=scorecard, kpi_id__in=kpi_ids, month__in=[m for m in months if m < cutoff]
        )
    }
    figures: dict[tuple[int, dt.date], Figure] = {}
    for assignment in assignments:
        for month in months:
            key = (assignment.kpi_id, month)
            if assignment.kpi.source != KpiSource.COMPUTED:
                entry = entries.get(key)
                figures[key] = (
                    Figure(_f(entry.numerator), _f(entry.denominator), _f(entry.value))
                    if entry
                    else Figure(None, None, None)
                )
            elif key in cached:
                c = cached[key]
                figures[key] = Figure(_f(c.numerator), _f(c.denominator), _f(c.value))
            else:
                figures[key] = computed_month_figure(scorecard, assignment, month)
    return figures


def _f(value: Decimal | float | None) -> float | None:
    return float(value) if value is not None else None


def roll_up(figures: list[Figure], *, aggregation: str, unit: str) -> Figure:
    """Months → one figure by the KPI's aggregation; months without a figure are left out."""
    present = [f for f in figures if f.value is not None]
    if not present:
        return Figure(None, None, None)
    if aggregation == KpiAggregation.LAST:
        return present[-1]
    if aggregation == KpiAggregation.MEAN:
        return Figure(None, None, sum(f.value for f in present) / len(present))  # type: ignore[misc]
    with_denominator = [f for f in present if f.denominator is not None]
    if aggregation == KpiAggregation.RATE and with_denominator and len(with_denominator) == len(present):
        num = sum(f.numerator or 0 for f in present)
        den = sum(f.denominator or 0 for f in present)
        if not den:
            return Figure(num, den, None)
        return Figure(num, den, num / den * (100 if unit == KpiUnit.PERCENT else 1))
    total = sum(f.value for f in present)  # type: ignore[misc]
    return Figure(sum(f.numerator or 0 for f in present), None, total)


# --- the scorecard ---------------------------------------------------------------------------------


def assignments_of(scorecard: Scorecard) -> list[KpiAssignment]:
    return list(
        KpiAssignment.objects.filter(objective__perspective__scorecard=scorecard)
        .select_related("kpi", "objective__perspective")
        .order_by("objective__perspective__position", "objective__position", "position", "id")
    )


def frozen_version(scorecard: Scorecard, month: dt.date) -> ScoreVersion | None:
    return (
        ScoreVersion.objects.filter(period__scorecard=scorecard, period__month=month)
        .order_by("-number")
        .first()
    )


def scorecard_scores(
    *, scorecard: Scorecard, span: Span, now: dt.datetime | None = None, live: bool = False
) -> CardResult:
    """The scorecard for ``span``. A closed month shows its newest frozen version unless ``live``."""
    now = now or timezone.now()
    if span.kind == MONTH and not live:
        version = frozen_version(scorecard, span.first)
        if version is not None:
            result = CardResult.from_json(version.data)
            result.version, result.reason = version.number, version.reason
            return result
    assignments = assignments_of(scorecard)
    months = span.months()
    frozen = _frozen_months(scorecard, months) if span.kind != MONTH else {}
    figures = _figures(scorecard, assignments, [m for m in months if m not in frozen], now)
    for month, card in frozen.items():
        for k in card.kpis():
            figures[(_kpi_id(assignments, k.assignment_id), month)] = Figure(
                k.numerator, k.denominator, k.value
            )
    return _assemble(scorecard, span, assignments, figures)


def _kpi_id(assignments: list[KpiAssignment], assignment_id: int) -> int:
    return next((a.kpi_id for a in assignments if a.pk == assignment_id), -1)


def _frozen_months(scorecard: Scorecard, months: list[dt.date]) -> dict[dt.date, CardResult]:
    periods = ScorePeriod.objects.filter(scorecard=scorecard, month__in=months).values_list(
        "month", flat=True
    )
    out = {}
    for month in periods:
        version = frozen_version(scorecard, month)
        if version is not None:
            out[month] = CardResult.from_json(version.data)
    return out


def _assemble(
    scorecard: Scorecard,
    span: Span,
    assignments: list[KpiAssignment],
    figures: dict[tuple[int, dt.date], Figure],
) -> CardResult:
    months = span.months()
    perspectives: dict[int, PerspectiveResult] = {}
    objectives: dict[int, ObjectiveResult] = {}
    for perspective in scorecard.perspectives.order_by("position", "id"):
        perspectives[perspective.pk] = PerspectiveResult(
            perspective.pk, perspective.kind, perspective.name, float(perspective.weight), None, 0, "", []
        )
        for objective in perspective.objectives.order_by("position", "id"):
            row = ObjectiveResult(objective.pk, objective.name, float(objective.weight), None, 0, "", [])
            objectives[objective.pk] = row
            perspectives[perspective.pk].objectives.append(row)
    for assignment in assignments:
        monthly = [figures.get((assignment.kpi_id, m), Figure(None, None, None)) for m in months]
        kpi_result = kpi_result_for(scorecard, assignment, span, monthly)
        objectives[assignment.objective_id].kpis.append(kpi_result)
    for objective_row in objectives.values():
        objective_row.score, objective_row.coverage = scoring.weighted(
            (k.score, k.weight) for k in objective_row.kpis
        )
        objective_row.band = scoring.band_of_score(objective_row.score)
    for perspective_row in perspectives.values():
        perspective_row.score, perspective_row.coverage = scoring.weighted(
            (o.score, o.weight) for o in perspective_row.objectives
        )
        perspective_row.band = scoring.band_of_score(perspective_row.score)
    total, coverage = scoring.weighted((p.score, p.weight) for p in perspectives.values())
    return CardResult(
        scorecard_id=scorecard.pk,
        period=span.label,
        total=total,
        coverage=coverage,
        band=scoring.band_of_score(total),
        perspectives=list(perspectives.values()),
    )


def kpi_result_for(
    scorecard: Scorecard, assignment: KpiAssignment, span: Span, monthly: list[Figure]
) -> KpiResult:
    kpi = assignment.kpi
    figure = roll_up(monthly, aggregation=kpi.aggregation, unit=kpi.unit)
    scale = len(monthly) if kpi.aggregation == KpiAggregation.SUM else 1
    target, minimum = float(assignment.target) * scale, float(assignment.minimum) * scale
    green, amber = float(assignment.green_from) * scale, float(assignment.amber_from) * scale
    value = round(figure.value, 2) if figure.value is not None else None
    definition = computed_kpi(kpi.code) if kpi.source == KpiSource.COMPUTED else None
    rows_url = ""
    if definition is not None:
        rows_url = (
            reverse("performance:kpi_rows", args=[scorecard.pk, assignment.pk]) + f"?period={span.label}"
        )
    months = span.months()
    return KpiResult(
        assignment_id=assignment.pk,
        code=kpi.code,
        name=kpi.name,
        unit=kpi.unit,
        direction=kpi.direction,
        source=kpi.source,
        definition=kpi.definition,
        weight=float(assignment.weight),
        target=target,
        minimum=minimum,
        green_from=green,
        amber_from=amber,
        rule=assignment.rule,
        value=value,
        numerator=figure.numerator,
        denominator=figure.denominator,
        score=scoring.score(
            value,
            target=target,
            minimum=minimum,
            rule=assignment.rule,
            direction=kpi.direction,
            steps=[(float(t) * scale, float(s)) for t, s in (assignment.steps or [])],
        ),
        band=scoring.band(value, green_from=green, amber_from=amber, direction=kpi.direction),
        rows_url=rows_url,
        months_missing=[f"{m:%Y-%m}" for m, f in zip(months, monthly, strict=True) if f.value is None],
    )


def kpi_rows(*, scorecard: Scorecard, assignment: KpiAssignment, span: Span, part: str) -> QuerySet[Any]:
    """The rows a computed figure counts (``part``: den or num) over the span, in the scorecard's scope."""
    definition = computed_kpi(assignment.kpi.code)
    if definition is None or scorecard.level not in definition.levels:
        return KpiAssignment.objects.none()
    start, end = span.bounds(hospital_zone(scorecard))
    return definition.rows(kpi_scope(scorecard, assignment), start, end, part).order_by("-pk")


def trend(
    *, scorecard: Scorecard, assignment: KpiAssignment, last: dt.date, months: int = 12
) -> list[Figure]:
    """Monthly figures of one KPI for the ``months`` months ending with ``last`` (frozen months as frozen)."""
    span = Span(MONTH, add_months(last, -(months - 1)), last)
    out = []
    figures = _figures(scorecard, [assignment], span.months(), timezone.now())
    frozen = _frozen_months(scorecard, span.months())
    for month in span.months():
        if month in frozen:
            k = next((k for k in frozen[month].kpis() if k.assignment_id == assignment.pk), None)
            out.append(Figure(k.numerator, k.denominator, k.value) if k else Figure(None, None, None))
        else:
            out.append(figures[(assignment.kpi_id, month)])
    return out
