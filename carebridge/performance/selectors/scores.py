"""A scorecard's scores for a month, quarter or year: every KPI's figure, target, score and band, rolled
up to objectives, perspectives and the total; and the rows behind a computed figure.

Figures are monthly: a computed KPI is counted per month by its registry entry. Months that have ended
read the precomputed ``KpiMonthValue`` when the refresh has stored one (``services/precompute.py``: Celery
beat recounts last month and this one every quarter of an hour and the 18 months before this one each
night, so a survey answered or a call recorded late reaches its month within the quarter hour). A
month's scorecard counts this month live, so a case closed today moves today's figures at once; a
quarter or a year reads this month's stored figure while it is fresh (``FRESH``: the refresh has run
within the hour), so that a year's page does not count a whole month live. A KPI entered by hand reads its
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
from django.db.models import Prefetch, QuerySet
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
    Objective,
    Perspective,
    Scorecard,
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
    # The customer-service centre works for the whole hospital (every complaint, inquiry and call goes
    # through it), so its KPIs count hospital-wide; a department counts its own rows.
    departments: frozenset[int] | None = None
    if scorecard.level == ScorecardLevel.DEPARTMENT and scorecard.department_id:
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


FRESH = dt.timedelta(hours=1)  # this month's stored figure serves a quarter or a year while this young


def _live_cutoff(now: dt.datetime, zone: ZoneInfo) -> dt.date:
    """Months from this one on are always counted live: the current month (an ended month reads its
    stored figure when there is one)."""
    return month_start(now.astimezone(zone).date())


def computed_month_figure(scorecard: Scorecard, assignment: KpiAssignment, month: dt.date) -> Figure:
    """Count a computed KPI for one month now (no cache)."""
    definition = computed_kpi(assignment.kpi.code)
    if definition is None or scorecard.level not in definition.levels:
        return Figure(None, None, None)
    start, end = _month_bounds(month, hospital_zone(scorecard))
    result = definition.compute(kpi_scope(scorecard, assignment), start, end)
    return Figure(result.numerator, result.denominator, result.value)


@dataclass
class _Stored:
    """Hand-entered figures and stored computed ones of some scorecards and months, keyed by
    ``(scorecard id, kpi id, month)``: read once for several scorecards (the cockpit's cards)."""

    entries: dict[tuple[int, int, dt.date], KpiEntry]
    cached: dict[tuple[int, int, dt.date], KpiMonthValue]


def _stored(
    scorecards: list[Scorecard], months: list[dt.date], now: dt.datetime, *, this_month: bool = False
) -> _Stored:
    """Two queries for all ``scorecards``: their entries of ``months`` and their stored figures of the
    ended ones among them (a month's stored figure is read only once the month has ended), and with
    ``this_month`` (a quarter or a year) this month's too while it is fresh."""
    ids = [card.pk for card in scorecards]
    cutoffs = {card.pk: _live_cutoff(now, hospital_zone(card)) for card in scorecards}
    readable = months if this_month else [m for m in months if m < max(cutoffs.values(), default=m)]
    entries = {
        (e.scorecard_id, e.kpi_id, e.month): e
        for e in KpiEntry.objects.filter(scorecard_id__in=ids, month__in=months)
    }
    cached = {
        (c.scorecard_id, c.kpi_id, c.month): c
        for c in KpiMonthValue.objects.filter(scorecard_id__in=ids, month__in=readable)
        if c.month < cutoffs[c.scorecard_id]
        or (this_month and c.month == cutoffs[c.scorecard_id] and c.computed_at >= now - FRESH)
    }
    return _Stored(entries, cached)


def _figures(
    scorecard: Scorecard,
    assignments: list[KpiAssignment],
    months: list[dt.date],
    now: dt.datetime,
    stored: _Stored | None = None,
) -> dict[tuple[int, dt.date], Figure]:
    stored = stored or _stored([scorecard], months, now)
    entries = {(k, m): e for (card, k, m), e in stored.entries.items() if card == scorecard.pk}
    cached = {(k, m): c for (card, k, m), c in stored.cached.items() if card == scorecard.pk}
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
    numerators = [f.numerator for f in present if f.numerator is not None]
    return Figure(sum(numerators) if numerators else None, None, total)


# --- the scorecard ---------------------------------------------------------------------------------


def assignments_of(scorecard: Scorecard) -> list[KpiAssignment]:
    return _assignments_of([scorecard]).get(scorecard.pk, [])


def _assignments_of(scorecards: list[Scorecard]) -> dict[int, list[KpiAssignment]]:
    """Every scorecard's KPI assignments in their order, one query for all."""
    rows: dict[int, list[KpiAssignment]] = {card.pk: [] for card in scorecards}
    for assignment in (
        KpiAssignment.objects.filter(objective__perspective__scorecard__in=[c.pk for c in scorecards])
        .select_related("kpi", "objective__perspective")
        .order_by("objective__perspective__position", "objective__position", "position", "id")
    ):
        rows[assignment.objective.perspective.scorecard_id].append(assignment)
    return rows


Tree = list[tuple[Perspective, list[Objective]]]


def _trees(scorecards: list[Scorecard]) -> dict[int, Tree]:
    """Every scorecard's perspectives with their objectives, in order: two queries for all."""
    trees: dict[int, Tree] = {card.pk: [] for card in scorecards}
    perspectives = (
        Perspective.objects.filter(scorecard__in=[c.pk for c in scorecards])
        .order_by("position", "id")
        .prefetch_related(Prefetch("objectives", queryset=Objective.objects.order_by("position", "id")))
    )
    for perspective in perspectives:
        trees[perspective.scorecard_id].append((perspective, list(perspective.objectives.all())))
    return trees


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
    open_months = [m for m in months if m not in frozen]
    stored = _stored([scorecard], open_months, now, this_month=span.kind != MONTH)
    figures = _figures(scorecard, assignments, open_months, now, stored)
    kpi_ids = {a.pk: a.kpi_id for a in assignments}
    for month, card in frozen.items():
        for k in card.kpis():
            figures[(kpi_ids.get(k.assignment_id, -1), month)] = Figure(k.numerator, k.denominator, k.value)
    return _assemble(scorecard, span, assignments, figures)


def scorecards_scores(
    *, scorecards: list[Scorecard], span: Span, now: dt.datetime | None = None
) -> list[CardResult]:
    """``scorecard_scores`` of several scorecards for one month, read together (the cockpit's department
    and centre cards): frozen versions, assignments, entries, stored figures and the perspective trees
    in one query each for all of them; only figures of this month (or a month not yet stored) are
    counted, per scorecard."""
    now = now or timezone.now()
    if span.kind != MONTH:
        return [scorecard_scores(scorecard=card, span=span, now=now) for card in scorecards]
    newest: dict[int, ScoreVersion] = {}
    versions = ScoreVersion.objects.filter(
        period__scorecard__in=[c.pk for c in scorecards], period__month=span.first
    ).select_related("period")
    for version in versions.order_by("number"):
        newest[version.period.scorecard_id] = version
    open_cards = [card for card in scorecards if card.pk not in newest]
    assignments = _assignments_of(open_cards)
    trees = _trees(open_cards)
    stored = _stored(open_cards, span.months(), now)
    results = []
    for card in scorecards:
        if card.pk in newest:
            result = CardResult.from_json(newest[card.pk].data)
            result.version, result.reason = newest[card.pk].number, newest[card.pk].reason
        else:
            figures = _figures(card, assignments[card.pk], span.months(), now, stored)
            result = _assemble(card, span, assignments[card.pk], figures, trees[card.pk])
        results.append(result)
    return results


def _frozen_months(scorecard: Scorecard, months: list[dt.date]) -> dict[dt.date, CardResult]:
    """The newest frozen version of each closed month among ``months`` (one query)."""
    newest: dict[dt.date, ScoreVersion] = {}
    versions = ScoreVersion.objects.filter(period__scorecard=scorecard, period__month__in=months)
    for version in versions.select_related("period").order_by("period__month", "number"):
        newest[version.period.month] = version  # the last one of each month wins
    return {month: CardResult.from_json(version.data) for month, version in newest.items()}


def _assemble(
    scorecard: Scorecard,
    span: Span,
    assignments: list[KpiAssignment],
    figures: dict[tuple[int, dt.date], Figure],
    tree: Tree | None = None,
) -> CardResult:
    months = span.months()
    perspectives: dict[int, PerspectiveResult] = {}
    objectives: dict[int, ObjectiveResult] = {}
    for perspective, perspective_objectives in (
        tree if tree is not None else _trees([scorecard])[scorecard.pk]
    ):
        perspectives[perspective.pk] = PerspectiveResult(
            perspective.pk, perspective.kind, perspective.name, float(perspective.weight), None, 0, "", []
        )
        for objective in perspective_objectives:
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
        # A computed KPI's name and definition come from its registration, translated when shown.
        name=str(definition.name) if definition else kpi.name,
        unit=kpi.unit,
        direction=kpi.direction,
        source=kpi.source,
        definition=str(definition.definition) if definition else kpi.definition,
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


def monthly_series(
    *, scorecard: Scorecard, last: dt.date, months: int = 12, now: dt.datetime | None = None
) -> tuple[list[dt.date], dict[int, list[Figure]]]:
    """Every KPI's monthly figures for the ``months`` months ending with ``last`` (frozen months as
    frozen), keyed by assignment id: one pass for a whole scorecard (the cockpit's trends)."""
    now = now or timezone.now()
    span_months = Span(MONTH, add_months(last, -(months - 1)), last).months()
    assignments = assignments_of(scorecard)
    frozen = _frozen_months(scorecard, span_months)
    figures = _figures(scorecard, assignments, [m for m in span_months if m not in frozen], now)
    series: dict[int, list[Figure]] = {}
    for assignment in assignments:
        row = []
        for month in span_months:
            if month in frozen:
                k = next((k for k in frozen[month].kpis() if k.assignment_id == assignment.pk), None)
                row.append(Figure(k.numerator, k.denominator, k.value) if k else Figure(None, None, None))
            else:
                row.append(figures[(assignment.kpi_id, month)])
        series[assignment.pk] = row
    return span_months, series


def trend(
    *, scorecard: Scorecard, assignment: KpiAssignment, last: dt.date, months: int = 12
) -> list[Figure]:
    """Monthly figures of one KPI for the ``months`` months ending with ``last``."""
    _months, series = monthly_series(scorecard=scorecard, last=last, months=months)
    return series.get(assignment.pk, [])
