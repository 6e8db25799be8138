"""Precomputed monthly figures (``KpiMonthValue``): the nightly refresh counts every computed KPI of every
active scorecard for the months before last month, so the cockpit and a year of scores read stored rows.
This month and last month are always counted live (``selectors/scores.py``)."""

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
    *, scorecards: list[Scorecard] | None = None, months: int = REFRESH_MONTHS, now: dt.datetime | None = None
) -> int:
    """Count and store the computed KPIs of ``months`` months before last month; returns rows written.
    Each scorecard is one transaction; running it twice writes the same rows."""
    now = now or timezone.now()
    cards = (
        scorecards
        if scorecards is not None
        else list(Scorecard.objects.filter(status=ScorecardStatus.ACTIVE))
    )
    written = 0
    for card in cards:
        last = add_months(month_start(now.astimezone(hospital_zone(card)).date()), -2)
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
