"""Follow-up KPIs (随访指标) per ward, doctor, department and month, and the rows behind every figure.

The figures of the paediatric ward's programme (seed 003, 医院客服工作总结篇4: follow-up rates by tier,
three or more communications per stay, satisfaction, loyalty, returning patients) measured on the care
plans. Every KPI is a *denominator* queryset and a *numerator* condition on the same rows, so the number
on the dashboard is by construction a count over the list it drills into (:func:`kpi_rows`).

Scope: the plans of the hospital and departments of the user's data scope (``core.scope``), with the
permission ``followup.view_followup_kpis``. Unlike the plan pages, a KPI never counts a plan outside the
user's departments because they own one of its touchpoints: a figure belongs to a department.

Periods are whole months in the hospital's time zone, ``[first month, last month]``; a row belongs to the
month of its *reference time* below. ``now`` is the moment the figures are computed.

Definitions (touchpoint KPIs count touchpoints, plan KPIs count plans, survey KPIs count responses):

``followup_A`` / ``followup_B`` / ``followup_C`` — follow-up rate of tier X within its window
    denominator: tiered follow-up calls (``kind = follow_up_call``) of tier X whose due time falls in the
    period and has passed (``due_at <= now``: a window still running is not judged yet), except those
    cancelled (a re-tier, or another call of the plan lost or the patient deceased) or skipped by policy
    (no consent to be contacted);
    numerator: those done (``status = done``, which for a call means an attempt reached the patient) with
    ``completed_at <= due_at``. Reference time: ``due_at``.
``contact`` — contact rate (接通率)
    denominator: calls of either kind (post-discharge call, tiered follow-up call) due in the period with at
    least one attempt on any channel; numerator: those with an attempt whose outcome means a person
    answered (reached or refused). Reference time: ``due_at``.
``lost`` — lost-to-follow-up rate (失访率)
    denominator: as ``followup_*`` but of every tier; numerator: those closed as lost (``status = lost``).
``three_comms`` — share of stays with at least three communications
    denominator: plans discharged in the period; numerator: plans with three or more touchpoints done
    (admission interview, mid-stay talks, pre-discharge interview, and calls that reached the patient).
    Reference time: ``discharged_at``.
``returning`` — returning-patient rate (回头客)
    denominator: plans discharged in the period; numerator: those whose patient had another encounter of
    any kind in the same department in the 365 days after discharge. Recent discharges have had less
    than a year to return, so the last twelve months read low. Reference time: ``discharged_at``.
``satisfaction`` — satisfaction index (mean)
    rows: survey responses linked to the encounter of a plan discharged in the period, with an overall
    index (``score``, 0–100); value = the mean index of the rows (anonymous responses have no encounter
    and never count). Reference time: the plan's ``discharged_at``.
``loyalty`` — loyalty: share of promoters, and NPS
    denominator: responses as above that answered ``recommend`` (0–10); numerator: promoters
    (``recommend >= 9``); the ``detractors`` part: ``recommend <= 6``. NPS = (promoters − detractors) /
    denominator × 100.


The project manager's own KPIs (``stay_plan_24h``, ``stay_items_done``, ``introduction_complete``,
``calls_on_time``) are defined in :mod:`carebridge.followup.selectors.kpis_manager` and join :data:`KPIS`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.followup.choices import (
    CALL_KINDS,
    REACHED_OUTCOMES,
    TierCode,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.models import CallAttempt, CarePlan, Touchpoint
from carebridge.lib.periods import add_months, month_start, months_between, next_month, parse_month_label
from carebridge.lib.text import is_id
from carebridge.patients.models import Encounter

PERMISSION = "followup.view_followup_kpis"
RETURN_WINDOW = dt.timedelta(days=365)
PROMOTER_MIN = 9
DETRACTOR_MAX = 6
NOT_COUNTED = (TouchpointStatus.CANCELLED, TouchpointStatus.SKIPPED)

# Parts of a KPI a cell can drill into.
PART_DENOMINATOR = "den"
PART_NUMERATOR = "num"
PART_DETRACTORS = "det"
PARTS = (PART_DENOMINATOR, PART_NUMERATOR, PART_DETRACTORS)

UNIT_TOUCHPOINT = "touchpoint"
UNIT_PLAN = "plan"
UNIT_RESPONSE = "response"


def _response_model() -> Any:
    from carebridge.surveys.models import Response

    return Response


# --- the period ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole months ``[first, last]`` (first days of months) in ``zone``, judged at ``now``. The months are
    ``carebridge.lib.periods``' calendar months; a KPI adds the moment its figures are judged at."""

    first: dt.date
    last: dt.date
    zone: str
    now: dt.datetime

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(0), tzinfo=self.tz)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(next_month(self.last), dt.time(0), tzinfo=self.tz)

    def months(self) -> list[dt.date]:
        return months_between(self.first, self.last)


def default_period(*, zone: str | None = None, now: dt.datetime | None = None, months: int = 12) -> Period:
    """The last ``months`` months, the current one included."""
    zone = zone or settings.TIME_ZONE
    now = now or timezone.now()
    last = month_start(now.astimezone(ZoneInfo(zone)).date())
    return Period(first=add_months(last, -(months - 1)), last=last, zone=zone, now=now)


# --- dimensions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dimension:
    code: str
    label: Promise
    # The field of the plan that groups (None: the month of the KPI's reference time).
    plan_field: str | None
    # The related name to show, from the plan (``ward__name``).
    name_field: str | None


DIMENSIONS: dict[str, Dimension] = {
    "ward": Dimension("ward", _("Ward"), "ward_id", "ward__name"),
    "doctor": Dimension(
        "doctor", _("Attending doctor"), "encounter__attending_doctor_id", "encounter__attending_doctor__name"
    ),
    "department": Dimension("department", _("Department"), "department_id", "department__name"),
    "manager": Dimension("manager", _("Project manager"), "owner_id", "owner__name"),
    "month": Dimension("month", _("Month"), None, None),
}
NONE_KEY = "none"


# --- KPI specifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiSpec:
    code: str
    label: Promise
    unit: str
    # Path from the counted row to its care plan ("" when the row is the plan).
    plan_path: str
    # The reference time that places a row in a month, from the counted row.
    time_field: str
    # The denominator: rows of ``plans`` in the period.
    base: Callable[[QuerySet[CarePlan], Period], QuerySet[Any]]
    numerator: Callable[[], Q]
    is_mean: bool = False
    has_detractors: bool = False
    help_text: Promise | str = ""

    def plan_lookup(self, name: str) -> str:
        return f"{self.plan_path}{name}"


def _in_period(field_name: str, period: Period) -> Q:
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lt": period.end})


def _followup_calls(plans: QuerySet[CarePlan], period: Period, tier: str | None) -> QuerySet[Touchpoint]:
    queryset = Touchpoint.objects.filter(
        _in_period("due_at", period),
        plan__in=plans.values("pk"),
        kind=TouchpointKind.FOLLOW_UP_CALL,
        due_at__lte=period.now,
    ).exclude(status__in=NOT_COUNTED)
    return queryset.filter(tier=tier) if tier else queryset


def _done_in_window() -> Q:
    return Q(status=TouchpointStatus.DONE, completed_at__lte=F("due_at"))


def _attempted_calls(plans: QuerySet[CarePlan], period: Period) -> QuerySet[Touchpoint]:
    return Touchpoint.objects.filter(
        _in_period("due_at", period),
        Exists(CallAttempt.objects.filter(touchpoint=OuterRef("pk"))),
        plan__in=plans.values("pk"),
        kind__in=CALL_KINDS,
    )


def _reached() -> Q:
    return Q(Exists(CallAttempt.objects.filter(touchpoint=OuterRef("pk"), outcome__in=REACHED_OUTCOMES)))


def _discharged(plans: QuerySet[CarePlan], period: Period) -> QuerySet[CarePlan]:
    return CarePlan.objects.filter(_in_period("discharged_at", period), pk__in=plans.values("pk"))


def _three_communications() -> Q:
    done = (
        Touchpoint.objects.filter(status=TouchpointStatus.DONE)
        .values("plan_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=3)
        .values("plan_id")
    )
    return Q(pk__in=done)


def _returned() -> Q:
    later = Encounter.objects.filter(
        patient_id=OuterRef("patient_id"),
        department_id=OuterRef("department_id"),
        started_at__gt=OuterRef("discharged_at"),
        started_at__lte=OuterRef("discharged_at") + RETURN_WINDOW,
    )
    return Q(Exists(later))


def _responses(plans: QuerySet[CarePlan], period: Period) -> QuerySet[Any]:
    return _response_model().objects.filter(
        _in_period("encounter__care_plan__discharged_at", period),
        encounter__care_plan__in=plans.values("pk"),
    )


def _scored(plans: QuerySet[CarePlan], period: Period) -> QuerySet[Any]:
    return _responses(plans, period).filter(score__isnull=False)


def _recommending(plans: QuerySet[CarePlan], period: Period) -> QuerySet[Any]:
    return _responses(plans, period).filter(answers__has_key="recommend")


def _promoter() -> Q:
    return Q(answers__recommend__gte=PROMOTER_MIN)


def _detractor() -> Q:
    return Q(answers__recommend__lte=DETRACTOR_MAX)


_TIER_TEXTS: dict[str, tuple[Promise, Promise]] = {
    TierCode.A: (
        _("Follow-up rate, tier A"),
        _("Tier A follow-up calls done within their window / those due in the period."),
    ),
    TierCode.B: (
        _("Follow-up rate, tier B"),
        _("Tier B follow-up calls done within their window / those due in the period."),
    ),
    TierCode.C: (
        _("Follow-up rate, tier C"),
        _("Tier C follow-up calls done within their window / those due in the period."),
    ),
}


def _tier_spec(tier: str) -> KpiSpec:
    label, help_text = _TIER_TEXTS[tier]
    return KpiSpec(
        code=f"followup_{tier}",
        label=label,
        unit=UNIT_TOUCHPOINT,
        plan_path="plan__",
        time_field="due_at",
        base=lambda plans, period: _followup_calls(plans, period, tier),
        numerator=_done_in_window,
        help_text=help_text,
    )


KPIS: dict[str, KpiSpec] = {
    spec.code: spec
    for spec in (
        *(_tier_spec(tier) for tier in TierCode.values),
        KpiSpec(
            code="contact",
            label=_("Contact rate"),
            unit=UNIT_TOUCHPOINT,
            plan_path="plan__",
            time_field="due_at",
            base=_attempted_calls,
            numerator=_reached,
            help_text=_("Calls in which someone answered / calls attempted."),
        ),
        KpiSpec(
            code="lost",
            label=_("Lost to follow-up (失访)"),
            unit=UNIT_TOUCHPOINT,
            plan_path="plan__",
            time_field="due_at",
            base=lambda plans, period: _followup_calls(plans, period, None),
            numerator=lambda: Q(status=TouchpointStatus.LOST),
            help_text=_("Follow-up calls closed as lost / follow-up calls due in the period."),
        ),
        KpiSpec(
            code="three_comms",
            label=_("Stays with ≥3 communications"),
            unit=UNIT_PLAN,
            plan_path="",
            time_field="discharged_at",
            base=_discharged,
            numerator=_three_communications,
            help_text=_("Discharged stays with three or more touchpoints done / stays discharged."),
        ),
        KpiSpec(
            code="returning",
            label=_("Returning patients"),
            unit=UNIT_PLAN,
            plan_path="",
            time_field="discharged_at",
            base=_discharged,
            numerator=_returned,
            help_text=_("Stays followed by another visit to the same department within 12 months."),
        ),
        KpiSpec(
            code="satisfaction",
            label=_("Satisfaction index"),
            unit=UNIT_RESPONSE,
            plan_path="encounter__care_plan__",
            time_field="encounter__care_plan__discharged_at",
            base=_scored,
            numerator=Q,
            is_mean=True,
            help_text=_("Mean overall index (0–100) of the surveys answered about the stay."),
        ),
        KpiSpec(
            code="loyalty",
            label=_("Promoters (would recommend)"),
            unit=UNIT_RESPONSE,
            plan_path="encounter__care_plan__",
            time_field="encounter__care_plan__discharged_at",
            base=_recommending,
            numerator=_promoter,
            has_detractors=True,
            help_text=_("Share answering 9 or 10 to “would you recommend us”; NPS = promoters − detractors."),
        ),
    )
}


# --- reading ---------------------------------------------------------------------------------------


def kpi_plans(*, user: Actor) -> QuerySet[CarePlan]:
    """The care plans whose figures the user may see (KPI permission, hospital and departments in scope)."""
    if not user.has_perm(PERMISSION):
        return CarePlan.objects.none()
    return scope_for(user).filter(CarePlan.objects.all(), hospital="hospital", department="department")


@dataclass
class Cell:
    numerator: int = 0
    denominator: int = 0
    detractors: int = 0
    mean: float | None = None
    is_mean: bool = False
    has_detractors: bool = False

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator * 100 if self.denominator else None

    @property
    def nps(self) -> float | None:
        if not self.denominator:
            return None
        return (self.numerator - self.detractors) / self.denominator * 100

    @property
    def value(self) -> float | None:
        return self.mean if self.is_mean else self.rate


@dataclass
class Row:
    key: str
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)


def _group_key(spec: KpiSpec, dimension: Dimension, period: Period) -> Any:
    if dimension.plan_field is None:
        return TruncMonth(spec.time_field, tzinfo=period.tz)
    return F(spec.plan_lookup(dimension.plan_field))


def _cell_aggregates(spec: KpiSpec) -> dict[str, Any]:
    aggregates: dict[str, Any] = {"den": Count("pk")}
    if spec.is_mean:
        aggregates["mean"] = Avg("score")
    else:
        aggregates["num"] = Count("pk", filter=spec.numerator())
    if spec.has_detractors:
        aggregates["det"] = Count("pk", filter=_detractor())
    return aggregates


def _cell(spec: KpiSpec, values: dict[str, Any]) -> Cell:
    den = values.get("den") or 0
    mean = values.get("mean")
    return Cell(
        numerator=den if spec.is_mean else values.get("num") or 0,
        denominator=den,
        detractors=values.get("det") or 0,
        mean=float(mean) if mean is not None else None,
        is_mean=spec.is_mean,
        has_detractors=spec.has_detractors,
    )


def _key_text(value: Any) -> str:
    if value is None:
        return NONE_KEY
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%Y-%m}"
    return str(value)


def kpi_totals(*, plans: QuerySet[CarePlan], period: Period, codes: Iterable[str] = KPIS) -> dict[str, Cell]:
    """The whole scope's figure of each KPI over the period."""
    cells = {}
    for code in codes:
        spec = KPIS[code]
        cells[code] = _cell(spec, spec.base(plans, period).order_by().aggregate(**_cell_aggregates(spec)))
    return cells


def kpi_table(
    *, plans: QuerySet[CarePlan], period: Period, by: str, codes: Iterable[str] = KPIS
) -> list[Row]:
    """One row per group of the dimension (ward, doctor, department, month), one cell per KPI."""
    dimension = DIMENSIONS[by]
    rows: dict[str, Row] = {}
    if dimension.plan_field is None:
        for month in period.months():
            rows[f"{month:%Y-%m}"] = Row(f"{month:%Y-%m}", f"{month:%Y-%m}")
    for code in codes:
        spec = KPIS[code]
        values = (
            spec.base(plans, period)
            .order_by()
            .annotate(group=_group_key(spec, dimension, period))
            .values("group")
            .annotate(**_cell_aggregates(spec))
        )
        for item in values:
            key = _key_text(item["group"])
            row = rows.setdefault(key, Row(key, ""))
            row.cells[code] = _cell(spec, item)
    if dimension.name_field is not None:
        _label_rows(rows, plans, dimension)
    ordered = sorted(
        rows.values(), key=lambda r: (r.key == NONE_KEY, r.label if dimension.name_field else r.key)
    )
    for row in ordered:
        for code in codes:
            row.cells.setdefault(
                code, Cell(is_mean=KPIS[code].is_mean, has_detractors=KPIS[code].has_detractors)
            )
    return ordered


def _label_rows(rows: dict[str, Row], plans: QuerySet[CarePlan], dimension: Dimension) -> None:
    assert dimension.plan_field is not None and dimension.name_field is not None  # noqa: S101
    ids = [int(k) for k in rows if k != NONE_KEY]
    names = dict(
        CarePlan.objects.filter(**{f"{dimension.plan_field}__in": ids})
        .order_by()
        .values_list(dimension.plan_field, dimension.name_field)
        .distinct()
    )
    for key, row in rows.items():
        row.label = str(_("Not recorded")) if key == NONE_KEY else names.get(int(key), key)


def kpi_rows(
    *,
    plans: QuerySet[CarePlan],
    period: Period,
    kpi: str,
    part: str = PART_DENOMINATOR,
    by: str | None = None,
    key: str | None = None,
) -> QuerySet[Any]:
    """The rows a dashboard cell counts: the denominator, the numerator or (loyalty) the detractors of one
    KPI, in the whole scope or in one group (``by`` = dimension, ``key`` = the group's key)."""
    spec = KPIS[kpi]
    queryset = spec.base(plans, period)
    if part == PART_NUMERATOR and not spec.is_mean:
        queryset = queryset.filter(spec.numerator())
    elif part == PART_DETRACTORS and spec.has_detractors:
        queryset = queryset.filter(_detractor())
    if by and key:
        queryset = queryset.filter(_group_filter(spec, DIMENSIONS[by], key, period))
    return queryset


def _group_filter(spec: KpiSpec, dimension: Dimension, key: str, period: Period) -> Q:
    if dimension.plan_field is None:
        month = parse_month_label(key)
        if month is None:
            return Q(pk__in=[])
        start = dt.datetime.combine(month, dt.time(0), tzinfo=period.tz)
        end = dt.datetime.combine(next_month(month), dt.time(0), tzinfo=period.tz)
        return Q(**{f"{spec.time_field}__gte": start, f"{spec.time_field}__lt": end})
    lookup = spec.plan_lookup(dimension.plan_field)
    if key == NONE_KEY:
        return Q(**{f"{lookup}__isnull": True})
    if not is_id(key):
        return Q(pk__in=[])
    return Q(**{lookup: int(key)})


def rows_for_display(queryset: QuerySet[Any], spec: KpiSpec) -> QuerySet[Any]:
    """The drill-down rows with what the list shows, newest first."""
    plan = spec.plan_path
    related = [
        f"{plan}patient",
        f"{plan}department",
        f"{plan}ward",
        f"{plan}encounter__attending_doctor",
    ]
    queryset = queryset.select_related(*related)
    if spec.unit == UNIT_TOUCHPOINT:
        return queryset.order_by("-due_at", "-id")
    if spec.unit == UNIT_PLAN:
        return queryset.order_by("-discharged_at", "-id")
    return queryset.order_by("-submitted_at", "-id")


# A monthly point on fewer rows than this swings on one answer: the chart draws it hollow and says n.
TREND_SMALL_N = 10


def trend(*, plans: QuerySet[CarePlan], period: Period, codes: Iterable[str]) -> dict[str, Any]:
    """Monthly series for the charts: ``{"months", "partial_month", "small_n", "series": [{"code", "label",
    "data", "n"}]}``; ``n`` is the number of rows each point counts (its denominator), ``partial_month``
    the month still under way at ``period.now`` when the period reaches it (its figures are not final)."""
    table = kpi_table(plans=plans, period=period, by="month", codes=codes)
    months = [row.key for row in table if row.key != NONE_KEY]
    by_key = {row.key: row for row in table}
    series = []
    for code in codes:
        data, counts = [], []
        for month in months:
            cell = by_key[month].cells[code]
            data.append(round(cell.value, 1) if cell.value is not None else None)
            counts.append(cell.denominator)
        series.append({"code": code, "label": str(KPIS[code].label), "data": data, "n": counts})
    current = period.now.astimezone(period.tz).strftime("%Y-%m")
    return {
        "months": months,
        "partial_month": current if current in months else None,
        "small_n": TREND_SMALL_N,
        "series": series,
    }


# The project manager's own KPIs (``kpis_manager``: the definitions, in the module docstring too).
from carebridge.followup.selectors.kpis_manager import MANAGER_DEFINITIONS  # noqa: E402

KPIS.update({code: KpiSpec(code=code, **definition) for code, definition in MANAGER_DEFINITIONS.items()})
MANAGER_CODES: tuple[str, ...] = tuple(MANAGER_DEFINITIONS)
