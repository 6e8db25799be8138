"""The report's three views: the page, the PDF and the Excel file of one month (``?month=YYYY-MM``).

Thin: parse the query, ask ``services.reports.report_show`` for the scoped report (cached, computed now,
or — for a month too large to compute on the request — the last one computed while a worker computes
the new one), render. While the first report of a large month is prepared the page says so and looks
again shortly; a download then leads to that page. A bad month or an instrument not answered that
month is a 400 with the reason; a user without the permission or without a hospital is refused (403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from carebridge.core.services.audit import audit_record
from carebridge.insights.domain.analysis.names import UNIT_MINIMUM
from carebridge.insights.selectors.report import hospital_zone, report_hospital
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION

if TYPE_CHECKING:
    from carebridge.insights.selectors.report_document import Report
    from carebridge.insights.services.reports import ReportShown

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request: HttpRequest) -> ReportShown:
    # The report's statistics (pandas, scipy) load with the first report, not with the URL conf (issue 18).
    from carebridge.insights.services.reports import report_show

    return report_show(
        user=request.user,
        month=request.GET.get("month") or None,
        instrument=request.GET.get("instrument") or None,
    )


def _query(report: Report) -> str:
    from urllib.parse import urlencode

    query: dict[str, Any] = {"month": report.month.label}
    if report.instrument is not None:
        query["instrument"] = report.instrument.code
    return urlencode(query)


def _to_page(report: Report) -> HttpResponse:
    """A download asked for before the month's first report is computed: its page, which says why."""
    return redirect(f"{reverse('insights:report')}?{_query(report)}")


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    messages = [str(m) for values in error.message_dict.values() for m in values]
    return render(
        request,
        "insights/report/invalid.html",
        {"errors": messages, "month": request.GET.get("month", "")},
        status=400,
    )


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def report_page(request: HttpRequest) -> HttpResponse:
    try:
        shown = _report(request)
    except ValidationError as error:
        return _refused(request, error)
    report = shown.report
    zone = hospital_zone(report_hospital(user=request.user))
    return render(
        request,
        "insights/report/page.html",
        {
            "report": report,
            "current": shown.current,
            "computed": shown.computed,
            "preparing": shown.preparing,
            "error": shown.error,
            "query": _query(report),
            "generated_at": timezone.localtime(report.generated_at, zone),
            "zone_name": str(zone),
            "min_unit": UNIT_MINIMUM,
        },
    )


def _download(request: HttpRequest, report: Report, content: bytes, kind: str) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="insights.report_download",
        object_type="insights.report",
        object_id=report.month.label,
        summary=f"{kind}: {report.instrument.code if report.instrument else '-'} {report.month.label}",
        changes={"format": kind, "month": report.month.label, "n": report.n},
    )
    name = f"satisfaction-report-{report.month.label}.{kind}"
    response = HttpResponse(content, content_type="application/pdf" if kind == "pdf" else XLSX)
    disposition = "inline" if kind == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def report_pdf(request: HttpRequest) -> HttpResponse:
    try:
        shown = _report(request)
    except ValidationError as error:
        return _refused(request, error)
    if not shown.computed:
        return _to_page(shown.report)
    report = shown.report
    from carebridge.insights.exports import render_pdf, stale_note

    zone = hospital_zone(report_hospital(user=request.user))
    stale = "" if shown.current else stale_note(report, zone=zone)
    return _download(request, report, render_pdf(report, zone=zone, stale=stale), "pdf")


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def report_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        shown = _report(request)
    except ValidationError as error:
        return _refused(request, error)
    if not shown.computed:
        return _to_page(shown.report)
    report = shown.report
    from carebridge.insights.exports import stale_note, workbook_bytes

    zone = hospital_zone(report_hospital(user=request.user))
    stale = "" if shown.current else stale_note(report, zone=zone)
    return _download(request, report, workbook_bytes(report, stale=stale), "xlsx")
