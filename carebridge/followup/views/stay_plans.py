"""Pages of the stay plan (住院方案) and the project manager's own page: agreeing the plan on the care
plan's page, adding and closing its items, the introduction checklist of the admission interview, the
list of stay plans (and its Excel export), and "my programme" — the project manager's own KPIs, with the
same figures per project manager for those who oversee them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.excel import sheet_bytes
from carebridge.followup.choices import PlanStatus, StayItemStatus
from carebridge.followup.forms.stay_plans import (
    IntroductionForm,
    StayItemCloseForm,
    StayItemForm,
    stay_plan_form,
)
from carebridge.followup.models import CarePlan
from carebridge.followup.selectors import kpis
from carebridge.followup.selectors.plans import plan_get, touchpoint_get
from carebridge.followup.selectors.stay_plans import stay_item_get, stay_plan_get, stay_plan_list
from carebridge.followup.services.stay_plans import (
    introduction_record,
    stay_item_add,
    stay_item_close,
    stay_plan_agree,
)
from carebridge.followup.views.plans import _refused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_SHOWN = 300


@login_required
@permission_required("followup.add_stayplan", raise_exception=True)
@require_POST
def stay_plan_agree_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    form = stay_plan_form(plan, request.POST)
    if form.is_valid():
        try:
            stay_plan_agree(
                plan=plan,
                doctor=form.cleaned_data["doctor"],
                nurse=form.cleaned_data["nurse"],
                items=form.item_inputs(),  # type: ignore[arg-type]
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("The stay plan was agreed."))
            return redirect("followup:plan_detail", pk=pk)
    return _refused(request, pk, stay_form=form)


@login_required
@permission_required("followup.change_stayplan", raise_exception=True)
@require_POST
def stay_item_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    stay_plan = stay_plan_get(user=request.user, pk=pk)
    form = StayItemForm(request.POST)
    if form.is_valid():
        try:
            stay_item_add(stay_plan=stay_plan, item=form.cleaned_data, actor=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Write the item."))
    return redirect("followup:plan_detail", pk=stay_plan.plan_id)


@login_required
@permission_required("followup.change_stayplan", raise_exception=True)
@require_POST
def stay_item_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = stay_item_get(user=request.user, pk=pk)
    form = StayItemCloseForm(request.POST)
    if form.is_valid():
        try:
            stay_item_close(
                item=item, to=form.cleaned_data["to"], note=form.cleaned_data["note"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Nothing was changed: see the messages below."))
    return redirect("followup:plan_detail", pk=item.stay_plan.plan_id)


@login_required
@permission_required("followup.change_touchpoint", raise_exception=True)
@require_POST
def introduction_view(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    form = IntroductionForm(request.POST)
    if form.is_valid():
        try:
            introduction_record(touchpoint=touchpoint, topics=form.cleaned_data["topics"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    return redirect("followup:plan_detail", pk=touchpoint.plan_id)


def _items_text(stay_plan: Any) -> str:
    return "；".join(
        f"{item.sequence}. {item.text} ({item.get_status_display()})" for item in stay_plan.items.all()
    )


@login_required
@permission_required("followup.view_stayplan", raise_exception=True)
def stay_plan_list_page(request: HttpRequest) -> HttpResponse:
    rows = stay_plan_list(user=request.user)
    if request.GET.get("format") == "xlsx":
        identify = request.user.has_perm("patients.view_patient")
        content = sheet_bytes(
            title=_("Stay plans"),
            header=[
                _("Agreed at"),
                _("Department"),
                _("Patient"),
                _("MRN"),
                _("Project manager"),
                _("Attending doctor"),
                _("Nurse"),
                _("Items done"),
                _("Items"),
            ],
            rows=(
                [
                    timezone.localtime(s.agreed_at).strftime("%Y-%m-%d %H:%M"),
                    s.department.name,
                    s.plan.patient.name if identify else "",
                    s.plan.patient.mrn if identify else "",
                    s.project_manager.name if s.project_manager else "",
                    s.doctor.name,
                    s.nurse.name,
                    f"{s.n_done}/{s.n_items}",  # type: ignore[attr-defined]
                    _items_text(s),
                ]
                for s in rows
            ),
            widths=(16, 14, 10, 12, 12, 12, 12, 10, 80),
            wrap_columns=(9,),
        )
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="stay-plans.xlsx"'
        return response
    return render(request, "followup/stay_plan_list.html", {"rows": rows[:ROWS_SHOWN], "count": rows.count()})


def _figures(plans: QuerySet[CarePlan], period: kpis.Period) -> list[tuple[kpis.KpiSpec, kpis.Cell]]:
    totals = kpis.kpi_totals(plans=plans, period=period, codes=kpis.MANAGER_CODES)
    return [(kpis.KPIS[code], totals[code]) for code in kpis.MANAGER_CODES]


@login_required
@permission_required(kpis.PERMISSION, raise_exception=True)
def manager_page(request: HttpRequest) -> HttpResponse:
    """The project manager's own page (我的项目): their KPIs over the last three months, their stays
    still without an agreed plan and their open plan items; the same KPIs per project manager of the
    user's scope (the staff-level view)."""
    staff = getattr(request.user, "staff", None)
    zone = staff.hospital.time_zone if staff is not None else timezone.get_current_timezone_name()
    period = kpis.default_period(zone=zone, months=3)
    plans = kpis.kpi_plans(user=request.user)
    context: dict[str, Any] = {
        "period": period,
        "staff": staff,
        "specs": [kpis.KPIS[c] for c in kpis.MANAGER_CODES],
    }
    if staff is not None:
        mine = plans.filter(owner=staff)
        context["mine"] = _figures(mine, period)
        context["my_query"] = f"&group=manager&key={staff.pk}"
        context["without_plan"] = (
            mine.filter(status=PlanStatus.IN_STAY, stay_plan__isnull=True)
            .select_related("patient", "ward")
            .order_by("admitted_at", "id")[:50]
        )
        context["open_items"] = (
            stay_plan_list(user=request.user)
            .filter(plan__owner=staff, plan__status=PlanStatus.IN_STAY, items__status=StayItemStatus.OPEN)
            .distinct()[:50]
        )
    table = kpis.kpi_table(plans=plans, period=period, by="manager", codes=kpis.MANAGER_CODES)
    context["managers"] = [(row, [row.cells[c] for c in kpis.MANAGER_CODES]) for row in table]
    context["query"] = f"start={period.first:%Y-%m}&end={period.last:%Y-%m}"
    return render(request, "followup/manager.html", context)
