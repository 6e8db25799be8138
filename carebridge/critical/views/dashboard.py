"""The critical-result dashboard (timeliness KPIs), the rows behind each number, and the Excel export."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.critical.choices import NotificationStatus, Severity
from carebridge.critical.exports import notifications_excel
from carebridge.critical.selectors.kpis import critical_kpis, rule_ppv
from carebridge.critical.selectors.notifications import notification_list
from carebridge.lib.text import is_digits

KPIS = "critical.view_critical_kpis"
ROWS_SHOWN = 200


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    try:
        start = dt.date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today - dt.timedelta(days=365)
    try:
        end = dt.date.fromisoformat(request.GET.get("end", ""))
    except ValueError:
        end = today
    return (start, end) if start <= end else (end, start)


@login_required
@permission_required(KPIS, raise_exception=True)
def dashboard(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    context = {
        "kpis": critical_kpis(user=request.user, start=start, end=end),
        "ppv": rule_ppv(user=request.user, start=start, end=end),
        "start": start,
        "end": end,
    }
    return render(request, "critical/dashboard.html", context)


_FILTERS = ("status", "class", "search", "rule", "month", "overdue")


def _filters(request: HttpRequest) -> dict[str, Any]:
    filters = {key: request.GET.get(key, "").strip() for key in _FILTERS}
    if filters["status"] not in NotificationStatus.values:
        filters["status"] = ""
    if filters["class"] not in Severity.values:
        filters["class"] = ""
    month = filters["month"]
    if month and not (len(month) == 7 and month[4] == "-" and is_digits(month.replace("-", ""))):
        filters["month"] = ""
    return {key: value for key, value in filters.items() if value}


@login_required
@permission_required("critical.view_notification", raise_exception=True)
def notification_rows(request: HttpRequest) -> HttpResponse:
    """The rows behind a dashboard number (the same filters as the API's list)."""
    filters = _filters(request)
    rows = notification_list(user=request.user, filters=filters).prefetch_related("findings__rule")
    return render(
        request,
        "critical/list.html",
        {"rows": rows[:ROWS_SHOWN], "count": rows.count(), "filters": filters, "now": timezone.now()},
    )


@login_required
@permission_required(KPIS, raise_exception=True)
def dashboard_export(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    rows = notification_list(user=request.user, filters=filters).prefetch_related("findings__rule")
    response = HttpResponse(
        notifications_excel(rows, title=_("Critical results")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="critical-results.xlsx"'
    return response
