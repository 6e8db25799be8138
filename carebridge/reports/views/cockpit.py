"""The leadership cockpit: the executive's start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.lib.periods import add_months
from carebridge.performance.domain.periods import MONTH, month_span, parse_span
from carebridge.performance.views.scorecards import default_span
from carebridge.reports.selectors.cockpit import PERMISSION, cockpit, red_kpis


@login_required
@permission_required(PERMISSION, raise_exception=True)
def cockpit_page(request: HttpRequest) -> HttpResponse:
    span = parse_span(request.GET.get("period"))
    if span is None or span.kind != MONTH:
        span = default_span() if span is None else month_span(span.last)
    board = cockpit(user=request.user, span=span)
    trends = {str(t.kpi.assignment_id): t.trend for block in board.areas for t in block.tiles}
    return render(
        request,
        "reports/cockpit.html",
        {
            "board": board,
            "span": span,
            "red": red_kpis(board),
            "trends": trends,
            "previous": span.previous().label,
            "next": month_span(add_months(span.first, 1)).label,
        },
    )
