"""The dashboard aggregate as the pages read it: closed months from the stored monthly aggregate, the
rest live (issue 18).

:func:`monthly_cells` is what the insights overview, the monthly report's trend and the cockpit call. A
month is *closed* when it had ended (in the hospital's time zone) before the last refresh of the
aggregate started (``AggregateRefresh``): its cells are summed from ``ResponseMonth`` / ``AnswerMonth``
(a few hundred rows whatever the number of responses); the current month — and any month the refresh
has not yet seen — is counted live by :func:`carebridge.insights.selectors.report.monthly_summary` in
one pass. Before the first refresh every month is live. Both paths apply the same permission and data
scope (``restrict`` with ``surveys.analyse_surveys`` over hospital and department), and give the same
cells; a response that arrives late for a closed month appears there after the next refresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.utils import timezone

from carebridge.core.models import Hospital
from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.insights.models import AggregateRefresh, AnswerMonth, ResponseMonth
from carebridge.insights.selectors.report import MonthlyCell, hospital_zone, monthly_summary, sample_sd
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION, responses_visible
from carebridge.lib.periods import add_months, month_of, month_start
from carebridge.surveys.models import Instrument, Wave


def stored_until(*, hospital: Hospital) -> dt.date | None:
    """The first month *not* complete in the aggregate (the month in which its last refresh started, in
    the hospital's zone), or None before the first refresh."""
    started = (
        AggregateRefresh.objects.order_by("-started_at", "-id").values_list("started_at", flat=True).first()
    )
    if started is None:
        return None
    return month_start(timezone.localtime(started, hospital_zone(hospital)).date())


def _scoped(queryset: QuerySet[Any], *, user: Actor, hospital: Hospital, department_id: int | None) -> Any:
    queryset = restrict(queryset.filter(hospital_id=hospital.pk), user, permission=ANALYSE_PERMISSION)
    if department_id is not None:
        queryset = queryset.filter(department_id=department_id)
    return queryset


def _stored(
    *,
    user: Actor,
    hospital: Hospital,
    first: dt.date,
    end: dt.date,
    instrument: Instrument | None,
    by_department: bool,
    department_id: int | None,
    item_code: str | None,
    top_box_from: float | None,
) -> list[MonthlyCell]:
    """The cells of the months ``first`` ≤ month < ``end`` summed from the stored aggregate."""
    keys = ["month", "department_id"] if by_department else ["month"]
    months = ResponseMonth.objects.filter(month__gte=first, month__lt=end)
    answers = AnswerMonth.objects.filter(month__gte=first, month__lt=end, item_code=item_code)
    if instrument is not None:
        months = months.filter(instrument_id=instrument.pk)
        answers = answers.filter(instrument_id=instrument.pk)
    rows = (
        _scoped(months, user=user, hospital=hospital, department_id=department_id)
        .values(*keys)
        .annotate(cell_n=Sum("n"), cell_total=Sum("total"), cell_squares=Sum("squares"))
        .order_by(*keys)
    )
    top: dict[tuple[Any, ...], tuple[int, int]] = {}
    if item_code is not None and top_box_from is not None:
        for row in (
            _scoped(answers, user=user, hospital=hospital, department_id=department_id)
            .values(*keys)
            .annotate(top=Sum("answers", filter=Q(value__gte=top_box_from)), answered=Sum("answers"))
            .order_by(*keys)
        ):
            top[(row["month"], row.get("department_id"))] = (row["top"] or 0, row["answered"])
    cells = []
    for row in rows:
        n = int(row["cell_n"])
        mean = row["cell_total"] / n
        top_n, answered = top.get((row["month"], row.get("department_id")), (None, None))
        department = row.get("department_id")
        cells.append(
            MonthlyCell(
                month=row["month"],
                department_id=department or None,  # 0 in the aggregate: the response names none
                n=n,
                mean=mean,
                sd=sample_sd(n, mean, row["cell_squares"]),
                top_box_n=top_n,
                top_box_answers=answered,
            )
        )
    return cells


def _order(cell: MonthlyCell) -> tuple[dt.date, bool, int]:
    return cell.month, cell.department_id is None, cell.department_id or 0


def monthly_cells(
    *,
    user: Actor,
    hospital: Hospital,
    first: dt.date,
    last: dt.date,
    instrument: Instrument | None = None,
    by_department: bool = True,
    department_id: int | None = None,
    item_code: str | None = None,
    top_box_from: float | None = None,
) -> list[MonthlyCell]:
    """The months ``first`` … ``last`` (first days, hospital time) of the responses ``user`` may analyse
    in ``hospital`` (of ``instrument`` and ``department_id`` when given): n, mean index, SD and the
    top-box share of ``item_code``, per department or overall, ordered by month then department
    (responses without a department last). Closed months from the aggregate, the others live."""
    zone = hospital_zone(hospital)
    end = add_months(month_start(last), 1)
    until = stored_until(hospital=hospital)
    split = first if until is None else min(max(until, first), end)
    cells: list[MonthlyCell] = []
    if split > first:
        cells += _stored(
            user=user,
            hospital=hospital,
            first=first,
            end=split,
            instrument=instrument,
            by_department=by_department,
            department_id=department_id,
            item_code=item_code,
            top_box_from=top_box_from,
        )
    if split < end:
        responses = responses_visible(user=user, hospital=hospital)
        if department_id is not None:
            responses = responses.filter(department_id=department_id)
        cells += monthly_summary(
            responses=responses,
            start=month_of(split, zone).start,
            end=month_of(end, zone).start,
            zone=zone,
            by_department=by_department,
            instrument=instrument,
            item_code=item_code,
            top_box_from=top_box_from,
        )
    return sorted(cells, key=_order)


OVERVIEW_MONTHS = 12


@dataclass(frozen=True)
class MonthRow:
    """A month of the overview's trend; ``suppressed`` when an anonymous wave's smallest reported group
    is larger than the month's n (then no figure is shown)."""

    cell: MonthlyCell
    suppressed: bool


def overview_months(
    *,
    user: Actor,
    hospital: Hospital,
    instrument: Instrument,
    department_id: int | None = None,
    now: dt.datetime | None = None,
) -> list[MonthRow]:
    """The instrument's index in the last 12 months (this one included) over the responses ``user`` may
    analyse (of ``department_id`` when given), every wave together: what the insights overview shows
    beside its selection, in two queries for the closed months and one pass over this month."""
    zone = hospital_zone(hospital)
    this = month_start(timezone.localtime(now or timezone.now(), zone).date())
    cells = monthly_cells(
        user=user,
        hospital=hospital,
        first=add_months(this, 1 - OVERVIEW_MONTHS),
        last=this,
        instrument=instrument,
        by_department=False,
        department_id=department_id,
    )
    smallest = (
        Wave.objects.filter(hospital=hospital, version__instrument=instrument, anonymous=True).aggregate(
            n=Max("min_report_group")
        )["n"]
        or 0
    )
    return [MonthRow(cell=cell, suppressed=cell.n < smallest) for cell in cells]
