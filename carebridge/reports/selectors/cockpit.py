"""The leadership cockpit (领导驾驶舱): one page with satisfaction, complaints, follow-up, critical results,
the checkup centre and the scorecard, each figure with its 12-month trend, target and band, linking to
its rows and to the module's own page.

The figures are the hospital scorecard's KPIs (``performance``): one definition per number, the same on
the scorecard, the cockpit and the API. A KPI the hospital scorecard does not carry is simply not shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from carebridge.core.types import Actor
from carebridge.insights.selectors.aggregates import monthly_cells
from carebridge.insights.selectors.report import MonthlyCell
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION
from carebridge.lib.periods import add_months
from carebridge.performance.domain.periods import Span, month_span
from carebridge.performance.models import Scorecard
from carebridge.performance.models.scorecards import ScorecardLevel, ScorecardStatus
from carebridge.performance.selectors.scores import (
    CardResult,
    KpiResult,
    monthly_series,
    scorecard_scores,
    scorecards_scores,
    scorecards_visible,
)
from carebridge.surveys.choices import InstrumentKind
from carebridge.surveys.models import Instrument

PERMISSION = "performance.view_cockpit"


@dataclass(frozen=True)
class Area:
    code: str
    label: Promise
    kpis: tuple[str, ...]
    detail_url: str  # URL name of the module's page
    detail_permission: str


AREAS: tuple[Area, ...] = (
    Area(
        "satisfaction",
        _("Satisfaction"),
        ("share_satisfied", "would_come_back", "satisfaction_index"),
        "insights:report",
        "surveys.analyse_surveys",
    ),
    Area(
        "complaints",
        _("Complaints and the desk"),
        ("complaints_in_time", "inquiry_first_contact", "inquiry_answer_minutes"),
        "desk:complaint_statistics",
        "complaints.view_complaint_statistics",
    ),
    Area(
        "followup",
        _("Follow-up"),
        (
            "followup_A",
            "followup_B",
            "followup_C",
            "critical_followed_up",
            "specialty_called",
            "three_comms_stay",
            "returning_inpatients",
            "customer_files",
        ),
        "followup:kpi_dashboard",
        "followup.view_followup_kpis",
    ),
    Area(
        "critical",
        _("Critical results"),
        ("critical_read_back_in_time",),
        "critical:dashboard",
        "critical.view_critical_kpis",
    ),
    Area(
        "checkup",
        _("Checkup centre"),
        ("checkup_turnaround",),
        "checkup:statistics",
        "checkup.view_checkup_statistics",
    ),
)


@dataclass
class Tile:
    kpi: KpiResult
    trend: list[float | None]
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.kpi.value is None or self.previous is None:
            return None
        return round(self.kpi.value - self.previous, 1)


@dataclass
class AreaBlock:
    area: Area
    tiles: list[Tile]
    detail_url: str = ""
    out_of_band: int = 0


@dataclass
class Cockpit:
    span: Span
    card: Scorecard | None
    result: CardResult | None
    months: list[str] = field(default_factory=list)
    areas: list[AreaBlock] = field(default_factory=list)
    departments: list[tuple[Scorecard, CardResult]] = field(default_factory=list)
    total_trend: list[float | None] = field(default_factory=list)
    # The inpatient survey's overall index by month of response (the stored monthly aggregate for
    # closed months): beside the satisfaction KPIs, which count surveys by month of discharge.
    survey: Instrument | None = None
    survey_months: list[MonthlyCell] = field(default_factory=list)


def hospital_scorecard(*, user: Actor) -> Scorecard | None:
    return (
        scorecards_visible(user=user)
        .filter(level=ScorecardLevel.HOSPITAL, status=ScorecardStatus.ACTIVE)
        .order_by("id")
        .first()
    )


def cockpit(*, user: Actor, span: Span, now: dt.datetime | None = None) -> Cockpit:
    """The cockpit of the month ``span`` (trends: the 12 months ending with it)."""
    card = hospital_scorecard(user=user)
    if card is None:
        return Cockpit(span=span, card=None, result=None)
    result = scorecard_scores(scorecard=card, span=span, now=now)
    months, series = monthly_series(scorecard=card, last=span.first, months=12, now=now)
    by_code = {k.code: k for k in result.kpis()}
    blocks = []
    for area in AREAS:
        tiles = []
        for code in area.kpis:
            kpi = by_code.get(code)
            if kpi is None:
                continue
            values = [
                round(f.value, 1) if f.value is not None else None for f in series.get(kpi.assignment_id, [])
            ]
            tiles.append(Tile(kpi=kpi, trend=values, previous=values[-2] if len(values) > 1 else None))
        if not tiles:
            continue
        detail = reverse(area.detail_url) if user.has_perm(area.detail_permission) else ""
        if area.code == "checkup" and user.has_perm("reports.view_centre_report"):
            detail = reverse("reports:centre")  # the centre's report: aggregates the leadership may read
        blocks.append(
            AreaBlock(
                area=area, tiles=tiles, detail_url=detail, out_of_band=sum(t.kpi.band == "red" for t in tiles)
            )
        )
    others = list(
        scorecards_visible(user=user)
        .filter(level__in=(ScorecardLevel.DEPARTMENT, ScorecardLevel.CENTRE), status=ScorecardStatus.ACTIVE)
        .order_by("level", "name", "id")[:12]
    )
    # Read together: a fixed number of queries however many cards (stored figures for ended months).
    departments = list(zip(others, scorecards_scores(scorecards=others, span=span, now=now), strict=True))
    survey, survey_months = _survey_months(user=user, card=card, span=span)
    return Cockpit(
        span=span,
        card=card,
        result=result,
        months=[f"{m:%Y-%m}" for m in months],
        areas=blocks,
        departments=departments,
        survey=survey,
        survey_months=survey_months,
    )


def _survey_months(
    *, user: Actor, card: Scorecard, span: Span
) -> tuple[Instrument | None, list[MonthlyCell]]:
    """The hospital's inpatient survey, its index in the 12 months ending with ``span`` (closed months
    from the monthly aggregate, ``insights.selectors.aggregates``); nothing without the analysis
    permission or an inpatient survey."""
    if not user.has_perm(ANALYSE_PERMISSION):
        return None, []
    # The hospital's own inpatient survey, else the library's (which the demo and most hospitals use).
    inpatient = Instrument.objects.filter(
        Q(hospital_id=card.hospital_id) | Q(hospital__isnull=True), kind=InstrumentKind.INPATIENT
    )
    survey = inpatient.order_by(F("hospital_id").asc(nulls_last=True), "id").first()
    if survey is None:
        return None, []
    cells = monthly_cells(
        user=user,
        hospital=card.hospital,
        first=add_months(span.first, -11),
        last=span.first,
        instrument=survey,
        by_department=False,
    )
    return survey, cells


def red_kpis(board: Cockpit) -> list[KpiResult]:
    return [t.kpi for block in board.areas for t in block.tiles if t.kpi.band == "red"]


__all__ = ["Any", "month_span"]
