"""Follow-up KPI pages: the dashboard (per ward, doctor, department or month, with trend charts), the
rows behind every figure (drill-down), and their Excel exports. The computation is in
``followup.selectors.kpis``; the filters are ``forms.kpis.KpiFilterForm``.

Leaders (no ``patients.view_patient``: DESIGN §4 "aggregates only") get the same drill-down lists without
the patient: no name, no MRN, no link to the record — the plan number, ward, doctor, dates and status
are enough to check a figure and see a pattern, not to identify anyone.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.excel import sheet_bytes
from carebridge.core.pagination import CappedPaginator
from carebridge.followup.forms.kpis import KpiFilterForm
from carebridge.followup.models import CarePlan
from carebridge.followup.selectors import kpis
from carebridge.lib.text import is_id

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# KPIs drawn as monthly trend lines (percentages; the satisfaction index has its own 0–100 scale too).
TREND_CODES = ("followup_A", "followup_B", "followup_C", "contact", "three_comms", "satisfaction", "loyalty")


def _zone(user: Any) -> str:
    staff = getattr(user, "staff", None)
    return staff.hospital.time_zone if staff is not None else timezone.get_current_timezone_name()


def kpi_filters(request: HttpRequest) -> tuple[KpiFilterForm, QuerySet[CarePlan], kpis.Period, str]:
    """The form, the plans counted (scope and department), the period and the dimension."""
    form = KpiFilterForm(request.GET or None, user=request.user)
    period = kpis.default_period(zone=_zone(request.user))
    plans = kpis.kpi_plans(user=request.user)
    by = "ward"
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        first = data["start_month"] or period.first
        last = data["end_month"] or period.last
        first = min(first, last)
        period = kpis.Period(first=first, last=last, zone=period.zone, now=period.now)
        by = data.get("by") or by
        if data.get("department") is not None:
            plans = plans.filter(department=data["department"])
    return form, plans, period, by


def _base_query(request: HttpRequest, period: kpis.Period, by: str) -> dict[str, str]:
    query = {"start": f"{period.first:%Y-%m}", "end": f"{period.last:%Y-%m}", "by": by}
    if is_id(request.GET.get("department", "")):
        query["department"] = request.GET["department"]
    return query


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@login_required
@permission_required(kpis.PERMISSION, raise_exception=True)
def kpi_dashboard(request: HttpRequest) -> HttpResponse:
    form, plans, period, by = kpi_filters(request)
    if form.is_bound and not form.is_valid():
        return render(request, "followup/kpi_dashboard.html", {"form": form, "invalid": True}, status=400)
    table = kpis.kpi_table(plans=plans, period=period, by=by)
    totals = kpis.kpi_totals(plans=plans, period=period)
    trend = kpis.trend(plans=plans, period=period, codes=TREND_CODES)
    query = _base_query(request, period, by)
    specs = list(kpis.KPIS.values())
    context = {
        "form": form,
        "period": period,
        "by": by,
        "dimension": kpis.DIMENSIONS[by],
        "specs": specs,
        "rows": [(row, [(spec, row.cells[spec.code]) for spec in specs]) for row in table],
        "totals": [(spec, totals[spec.code]) for spec in specs],
        "trend": trend,
        "query": urlencode(query),
        "query_all": urlencode({k: v for k, v in query.items() if k != "by"}),
    }
    return render(request, "followup/kpi_dashboard.html", context)


@login_required
@permission_required(kpis.PERMISSION, raise_exception=True)
def kpi_export(request: HttpRequest) -> HttpResponse:
    form, plans, period, by = kpi_filters(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(_("Invalid filters."), status=400)
    table = kpis.kpi_table(plans=plans, period=period, by=by)
    specs = list(kpis.KPIS.values())
    header = [str(kpis.DIMENSIONS[by].label)]
    for spec in specs:
        header += [str(spec.label), _("numerator"), _("denominator")]
        if spec.has_detractors:
            header += [_("detractors"), "NPS"]
    rows = []
    for row in table:
        line: list[Any] = [row.label]
        for spec in specs:
            cell = row.cells[spec.code]
            value = cell.value
            line += [round(value, 1) if value is not None else None, cell.numerator, cell.denominator]
            if spec.has_detractors:
                line += [cell.detractors, round(cell.nps, 1) if cell.nps is not None else None]
        rows.append(line)
    content = sheet_bytes(title=_("Follow-up KPIs"), header=header, rows=rows, widths=(24,))
    response = HttpResponse(content, content_type=XLSX)
    filename = f"followup-kpis-{by}-{period.first:%Y%m}-{period.last:%Y%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def kpi_drill(request: HttpRequest) -> tuple[kpis.KpiSpec, str, QuerySet[Any], dict[str, Any]]:
    _form, plans, period, by = kpi_filters(request)
    spec = kpis.KPIS.get(request.GET.get("kpi", ""))
    part = request.GET.get("part", kpis.PART_DENOMINATOR)
    if spec is None or part not in kpis.PARTS:
        raise Http404("No such KPI.")
    key = request.GET.get("key") or None
    group = request.GET.get("group") or None
    if group is not None and group not in kpis.DIMENSIONS:
        raise Http404("No such dimension.")
    rows = kpis.kpi_rows(plans=plans, period=period, kpi=spec.code, part=part, by=group, key=key)
    described = {
        "spec": spec,
        "part": part,
        "group": kpis.DIMENSIONS[group] if group else None,
        "key": key,
        "period": period,
        "by": by,
    }
    return spec, part, kpis.rows_for_display(rows, spec), described


def kpi_line(item: Any, spec: kpis.KpiSpec, *, identify: bool) -> dict[str, Any]:
    """One drill-down row as the page and the export show it (no patient for leaders)."""
    if spec.unit == kpis.UNIT_TOUCHPOINT:
        plan, reference = item.plan, item.due_at
    elif spec.unit == kpis.UNIT_PLAN:
        plan, reference = item, item.discharged_at
    else:
        plan, reference = item.encounter.care_plan, item.submitted_at
    doctor = plan.encounter.attending_doctor
    line = {
        "plan": plan,
        "patient": plan.patient if identify else None,
        "department": plan.department.name,
        "ward": plan.ward.name if plan.ward else "",
        "doctor": doctor.name if doctor else "",
        "tier": plan.tier,
        "reference": timezone.localtime(reference) if reference else None,
        "item": item,
    }
    if spec.unit == kpis.UNIT_TOUCHPOINT:
        line["what"] = item.title
        line["status"] = item.get_status_display()
        line["completed"] = timezone.localtime(item.completed_at) if item.completed_at else None
    elif spec.unit == kpis.UNIT_PLAN:
        line["what"] = _("Stay %(start)s – %(end)s") % {
            "start": f"{timezone.localtime(plan.admitted_at):%Y-%m-%d}",
            "end": f"{timezone.localtime(plan.discharged_at):%Y-%m-%d}" if plan.discharged_at else "",
        }
        line["status"] = plan.get_status_display()
        line["completed"] = None
    else:
        line["what"] = _("Survey, index %(score)s") % {
            "score": f"{item.score:.1f}" if item.score is not None else "—"
        }
        line["status"] = str((item.answers or {}).get("recommend", ""))
        line["completed"] = None
    return line


@login_required
@permission_required(kpis.PERMISSION, raise_exception=True)
def kpi_rows_view(request: HttpRequest) -> HttpResponse:
    spec, _part, rows, described = kpi_drill(request)
    identify = request.user.has_perm("patients.view_patient")
    if request.GET.get("format") == "xlsx":
        return _rows_export(rows, spec, identify=identify)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **described,
        "page": page,
        "lines": [kpi_line(item, spec, identify=identify) for item in page.object_list],
        "identify": identify,
        "query_string": query.urlencode(),
    }
    return render(request, "followup/kpi_rows.html", context)


def _rows_export(rows: QuerySet[Any], spec: kpis.KpiSpec, *, identify: bool) -> HttpResponse:
    header = [
        _("Plan"),
        _("Patient"),
        _("Department"),
        _("Ward"),
        _("Attending doctor"),
        _("Tier"),
        _("What"),
        _("Date"),
        _("Completed"),
        _("Status"),
    ]
    lines = []
    for item in rows.iterator(chunk_size=500):
        line = kpi_line(item, spec, identify=identify)
        patient = line["patient"]
        lines.append(
            [
                line["plan"].pk,
                f"{patient.name} ({patient.mrn})" if patient is not None else "",
                line["department"],
                line["ward"],
                line["doctor"],
                line["tier"],
                line["what"],
                f"{line['reference']:%Y-%m-%d %H:%M}" if line["reference"] else "",
                f"{line['completed']:%Y-%m-%d %H:%M}" if line["completed"] else "",
                line["status"],
            ]
        )
    content = sheet_bytes(
        title=str(spec.label), header=header, rows=lines, widths=(8, 20, 16, 20, 12, 6, 30, 18, 18, 12)
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="followup-{spec.code}-rows.xlsx"'
    return response
