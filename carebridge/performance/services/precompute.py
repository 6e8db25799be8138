"""Precomputed monthly figures (``KpiMonthValue``): the refresh counts every computed KPI of every active
scorecard for months that have ended, so the cockpit and a year of scores read stored rows — each night
the 18 months before this one (a late survey answer or call reaches an older month by morning), every
quarter of an hour last month and this one (``kpi_last_month_refresh``: last month is the cockpit's
default month, where late rows arrive most; this month's stored figure serves a quarter or a year, whose
page would otherwise count the month live over the whole hospital — 2.4 s at 1,000,000 patients). A
month's own page always counts this month live (``selectors/scores.py``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from carebridge.lib.periods import add_months, month_start
from carebridge.performance.models import KpiMonthValue, Scorecard
from carebridge.performance.models.scorecards import KpiSource, ScorecardStatus
from carebridge.performance.selectors.scores import assignments_of, computed_month_figure, hospital_zone

REFRESH_MONTHS = 18


def _d(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 4)))


def kpi_month_values_refresh(
    *,
    scorecards: list[Scorecard] | None = None,
    months: int = REFRESH_MONTHS,
    now: dt.datetime | None = None,
    this_month: bool = False,
) -> int:
    """Count and store the computed KPIs of the ``months`` months before this one (last month first),
    or with ``this_month`` of this month and the ``months - 1`` before it; returns rows written. Each
    scorecard is one transaction; running it twice writes the same rows."""
    now = now or timezone.now()
    cards = (
        scorecards
        if scorecards is not None
        else list(Scorecard.objects.filter(status=ScorecardStatus.ACTIVE))
    )
    written = 0
    for card in cards:
        last = add_months(month_start(now.astimezone(hospital_zone(card)).date()), 0 if this_month else -1)
        span = [add_months(last, -i) for i in range(months)]
        with transaction.atomic():
            for assignment in assignments_of(card):
                if assignment.kpi.source != KpiSource.COMPUTED:
                    continue
                for month in span:
                    figure = computed_month_figure(card, assignment, month)
                    KpiMonthValue.objects.update_or_create(
                        kpi=assignment.kpi,
                        scorecard=card,
                        month=month,
                        defaults={
                            "numerator": _d(figure.numerator),
                            "denominator": _d(figure.denominator),
                            "value": _d(figure.value),
                            "computed_at": now,
                        },
                    )
                    written += 1
    return written


def kpi_last_month_refresh(*, now: dt.datetime | None = None) -> int:
    """Recount this month and last (the quarter-hourly refresh): last month is the one the cockpit opens
    on; this month's figure is what a quarter or a year reads for it."""
    return kpi_month_values_refresh(months=2, now=now, this_month=True)
