"""The checkup centre's month and year report (``?period=YYYY-MM`` or ``?period=YYYY``): page, PDF and
Excel. A bad period is a 400 with the reason; without the permission, a 403."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.core.services.audit import audit_record
from carebridge.reports.selectors.centre import PERMISSION, CentreReport, centre_report, parse_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _zone(request: HttpRequest) -> ZoneInfo:
    return ZoneInfo(staff_hospital(user=request.user).time_zone or "Asia/Shanghai")


def _refused(request: HttpRequest, error: ValidationError) -> HttpResponse:
    messages = [str(m) for values in error.message_dict.values() for m in values]
    return render(request, "reports/invalid.html", {"errors": messages}, status=400)


def _download(request: HttpRequest, report: CentreReport, content: bytes, kind: str) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="reports.centre_report_download",
        object_type="reports.centre_report",
        object_id=report.period.label,
        summary=f"{kind}: {report.period.label}",
        changes={"format": kind, "period": report.period.label, "customers": report.figures.customers},
    )
    name = f"checkup-centre-report-{report.period.label}.{kind}"
    response = HttpResponse(content, content_type="application/pdf" if kind == "pdf" else XLSX)
    disposition = "inline" if kind == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@login_required
@permission_required(PERMISSION, raise_exception=True)
def centre_page(request: HttpRequest) -> HttpResponse:
    try:
        period = parse_period(request.GET.get("period"))
    except ValidationError as error:
        return _refused(request, error)
    report = centre_report(user=request.user, period=period)
    from carebridge.reports.exports import centre_context

    context = centre_context(report, _zone(request))
    context["details"] = request.user.has_perm("checkup.view_checkup_statistics")
    context["critical_details"] = request.user.has_perm("critical.view_critical_kpis")
    return render(request, "reports/centre/page.html", context)


@login_required
@permission_required(PERMISSION, raise_exception=True)
def centre_pdf(request: HttpRequest) -> HttpResponse:
    try:
        period = parse_period(request.GET.get("period"))
    except ValidationError as error:
        return _refused(request, error)
    from carebridge.reports.exports import centre_pdf as render_pdf

    report = centre_report(user=request.user, period=period)
    return _download(request, report, render_pdf(report, zone=_zone(request)), "pdf")


@login_required
@permission_required(PERMISSION, raise_exception=True)
def centre_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        period = parse_period(request.GET.get("period"))
    except ValidationError as error:
        return _refused(request, error)
    from carebridge.reports.exports import centre_workbook

    report = centre_report(user=request.user, period=period)
    return _download(request, report, centre_workbook(report), "xlsx")
