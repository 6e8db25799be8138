"""The monthly leadership report (``?period=YYYY-MM``; default the month the cockpit opens on): page,
PDF and Excel, each logged when downloaded."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.core.services.audit import audit_record
from carebridge.lib.periods import add_months
from carebridge.performance.domain.periods import MONTH, Span, month_span, parse_span
from carebridge.reports.selectors.leadership import PERMISSION, LeadershipReport, leadership_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _span(request: HttpRequest) -> Span:
    span = parse_span(request.GET.get("period"))
    if span is None:  # last month: the one a monthly report is about
        return month_span(add_months(timezone.localdate().replace(day=1), -1))
    return span if span.kind == MONTH else month_span(span.last)


def _zone(request: HttpRequest) -> ZoneInfo:
    return ZoneInfo(staff_hospital(user=request.user).time_zone or "Asia/Shanghai")


def _context(request: HttpRequest, report: LeadershipReport) -> dict[str, object]:
    zone = _zone(request)
    return {
        "report": report,
        "generated_at": timezone.localtime(report.generated_at, zone),
        "zone_name": str(zone),
        "previous": report.span.previous().label,
        "next": month_span(add_months(report.span.first, 1)).label,
    }


def _download(request: HttpRequest, report: LeadershipReport, content: bytes, kind: str) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="reports.leadership_report_download",
        object_type="reports.leadership_report",
        object_id=report.month_label,
        summary=f"{kind}: {report.month_label}",
        changes={"format": kind, "month": report.month_label},
    )
    name = f"leadership-report-{report.month_label}.{kind}"
    response = HttpResponse(content, content_type="application/pdf" if kind == "pdf" else XLSX)
    disposition = "inline" if kind == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@login_required
@permission_required(PERMISSION, raise_exception=True)
def leadership_page(request: HttpRequest) -> HttpResponse:
    report = leadership_report(user=request.user, span=_span(request))
    return render(request, "reports/leadership/page.html", _context(request, report))


@login_required
@permission_required(PERMISSION, raise_exception=True)
def leadership_pdf(request: HttpRequest) -> HttpResponse:
    from carebridge.reports.exports import leadership_pdf as render_pdf

    report = leadership_report(user=request.user, span=_span(request))
    return _download(request, report, render_pdf(report, zone=_zone(request)), "pdf")


@login_required
@permission_required(PERMISSION, raise_exception=True)
def leadership_xlsx(request: HttpRequest) -> HttpResponse:
    from carebridge.reports.exports import leadership_workbook

    report = leadership_report(user=request.user, span=_span(request))
    return _download(request, report, leadership_workbook(report), "xlsx")
