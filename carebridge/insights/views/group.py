"""The hospital-group comparison page (aggregates only; other hospitals shown as benchmarks)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.insights.selectors.group import group_comparison


@login_required
@permission_required("surveys.analyse_surveys", raise_exception=True)
def group_page(request: HttpRequest) -> HttpResponse:
    try:
        days = min(max(int(request.GET.get("days", "90")), 7), 730)
    except ValueError:
        days = 90
    end = timezone.now()
    start = end - dt.timedelta(days=days)
    result = group_comparison(user=request.user, start=start, end=end)
    return render(
        request, "insights/group.html", {"result": result, "days": days, "start": start, "end": end}
    )
