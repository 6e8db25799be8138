"""The statistics page: every number links to the rows it counts; the page and each list export to
Excel."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.checkup.exports import excel
from carebridge.checkup.selectors.statistics import TARGET_DAYS, Period, drill, statistics, year_period
from carebridge.core.services.audit import audit_record
from carebridge.lib.text import is_digits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request: HttpRequest) -> Period:
    year = request.GET.get("year", "")
    return year_period(
        int(year) if is_digits(year) and 2000 <= int(year) <= 2100 else timezone.localdate().year
    )


def _target(request: HttpRequest) -> int:
    value = request.GET.get("target", "")
    return int(value) if is_digits(value) and 0 < int(value) <= 60 else TARGET_DAYS


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


@login_required
@permission_required("checkup.view_checkup_statistics", raise_exception=True)
def statistics_page(request: HttpRequest) -> HttpResponse:
    period, target = _period(request), _target(request)
    figures = statistics(user=request.user, period=period, target_days=target)
    if request.GET.get("format") == "xlsx":
        rows: list[list[Any]] = [
            [_("Customers"), figures.customers, ""],
            [_("Visits"), figures.visits, ""],
            *[[f"{_('Sex')}: {c.label}", c.n, _pct(c.share)] for c in figures.by_sex],
            [_("Age (mean ± SD)"), figures.age.display(), figures.age.n],
            *[[f"{_('Occupation class')}: {c.label}", c.n, _pct(c.share)] for c in figures.by_occupation],
            *[[f"{_('Employer group')}: {c.label}", c.n, _pct(c.share)] for c in figures.by_group],
            [_("Revenue (yuan)"), figures.revenue, ""],
            [_("Spend per person (yuan)"), figures.spend_per_person, ""],
            [_("Returning customers"), figures.returning, ""],
            [_("New customers"), figures.new, ""],
            [_("Lost customers"), figures.lost, _pct(figures.churn)],
            [_("Reports released"), figures.turnaround.n, ""],
            [_("Turnaround p50 (days)"), figures.turnaround.p50, ""],
            [_("Turnaround p95 (days)"), figures.turnaround.p95, ""],
            [
                _("Released within the target"),
                figures.turnaround.within,
                _pct(figures.turnaround.share_within),
            ],
            *[
                [f"{_('Wait (min)')}: {w.room}", w.mean, f"n={w.n} p50={w.p50:.1f} p95={w.p95:.1f}"]
                for w in figures.room_waits
            ],
        ]
        audit_record(
            actor=request.user,
            action="checkup.statistics.export",
            object_type="checkup.visit",
            object_id="*",
            summary=period.label,
        )
        return _xlsx(
            excel(
                title=_("Statistics"),
                header=[_("Figure"), _("Value"), _("Share")],
                rows=rows,
                widths=(40, 16, 28),
            ),
            f"checkup-statistics-{period.start:%Y}",
        )
    return render(
        request,
        "checkup/statistics.html",
        {"s": figures, "year": period.start.year, "target": target, "section": "statistics"},
    )


@login_required
@permission_required("checkup.view_checkup_statistics", raise_exception=True)
def statistics_rows(request: HttpRequest) -> HttpResponse:
    period, target = _period(request), _target(request)
    key = request.GET.get("key", "")
    try:
        found = drill(user=request.user, period=period, key=key, target_days=target)
    except ValueError:
        raise Http404("Unknown figure.") from None
    if request.GET.get("format") == "xlsx":
        audit_record(
            actor=request.user,
            action="checkup.statistics.export",
            object_type="checkup.visit",
            object_id="*",
            summary=f"{period.label} {key}",
            changes={"rows": len(found.rows)},
        )
        return _xlsx(
            excel(title=found.title, header=found.header, rows=found.rows), f"checkup-{key.replace(':', '-')}"
        )
    return render(
        request,
        "checkup/statistics_rows.html",
        {
            "drill": found,
            "rows": zip(found.links, found.rows, strict=False),
            "key": key,
            "year": period.start.year,
            "target": target,
            "count": len(found.rows),
            "section": "statistics",
        },
    )
