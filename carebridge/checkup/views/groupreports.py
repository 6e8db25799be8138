"""Group report pages (团检报告, issue 14): the list of units and years, one unit's report for a year (the
centre's staff version or the employer's, ``?audience=employer``), its PDF and Excel, and the expert
advice (a new version per save, released once)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_POST

from carebridge.checkup.exports import group_display, group_report_pdf, group_report_xlsx
from carebridge.checkup.models import EmployerGroup, GroupReportAdvice
from carebridge.checkup.selectors.groupreport_text import AUDIENCES, EMPLOYER, STAFF, report_payload
from carebridge.checkup.selectors.groupreports import group_report, report_group, report_groups, years_of
from carebridge.checkup.services.groupreports import group_advice_release, group_advice_save
from carebridge.checkup.views.base import refusal_message
from carebridge.core.services.audit import audit_record
from carebridge.lib.text import is_digits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERMISSION = "checkup.view_checkup_statistics"


def _group(request: HttpRequest, pk: int) -> EmployerGroup:
    group = report_group(user=request.user, pk=pk)
    if group is None:
        raise Http404("No such group in your scope.")
    return group


def _year(request: HttpRequest, group: EmployerGroup) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    if is_digits(value) and 2000 <= int(value) <= 2100:
        return int(value)
    years = years_of(user=request.user, group=group)
    return years[0] if years else timezone.localdate().year


def _audience(request: HttpRequest) -> str:
    audience = request.GET.get("audience", STAFF)
    if audience not in AUDIENCES:
        raise Http404("Unknown audience.")
    return audience


def _payload(
    request: HttpRequest, group: EmployerGroup, year: int, audience: str, *, chinese: bool = False
) -> dict:
    if chinese:  # the PDF and the Excel file are for the unit: in Chinese whatever the screen language
        with override("zh-hans"):
            return report_payload(group_report(user=request.user, group=group, year=year), audience=audience)
    return report_payload(group_report(user=request.user, group=group, year=year), audience=audience)


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "checkup/group_reports.html",
        {"units": report_groups(user=request.user), "section": "group_reports"},
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    year, audience = _year(request, group), _audience(request)
    payload = _payload(request, group, year, audience)
    versions = GroupReportAdvice.objects.filter(group=group, year=year).order_by("-version")
    return render(
        request,
        "checkup/group_report.html",
        {
            "group": group,
            "p": payload,
            "d": group_display(payload),
            "year": year,
            "years": years_of(user=request.user, group=group),
            "audience": audience,
            "versions": versions,
            "released": any(v.released_at for v in versions),
            "section": "group_reports",
        },
    )


def _export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    group = _group(request, pk)
    year, audience = _year(request, group), _audience(request)
    payload = _payload(request, group, year, audience, chinese=True)
    audit_record(
        actor=request.user,
        action=f"checkup.group_report.{kind}",
        obj=group,
        summary=f"{group.name} {year} {audience}",
    )
    name = f"group-report-{group.code}-{year}{'-employer' if audience == EMPLOYER else ''}"
    if kind == "pdf":
        response = HttpResponse(group_report_pdf(payload), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    else:
        response = HttpResponse(group_report_xlsx(payload), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "pdf")


@login_required
@permission_required(PERMISSION, raise_exception=True)
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _export(request, pk, "xlsx")


@login_required
@require_POST
def advice_save(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    year = _year(request, group)
    try:
        if request.POST.get("release"):
            group_advice_release(group=group, year=year, actor=request.user)
            messages.success(request, _("The advice is released."))
        else:
            advice = group_advice_save(
                group=group, year=year, text=request.POST.get("text", ""), actor=request.user
            )
            messages.success(request, _("Saved as version %(version)s.") % {"version": advice.version})
    except (ValidationError, PermissionDenied) as error:
        refusal_message(request, error)
    return HttpResponseRedirect(f"{reverse('checkup:group_report', args=[group.pk])}?year={year}#advice")
