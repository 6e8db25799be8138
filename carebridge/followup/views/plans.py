"""Pages of care plans: the list (by ward, status, tier), one plan with its touchpoints, tier and why,
and the forms of the project manager (re-tier, mid-stay talk, interview done, close by hand)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.http import client_ip
from carebridge.core.pagination import CappedPaginator
from carebridge.core.selectors.organisation import ward_list
from carebridge.followup.choices import (
    STAY_KINDS,
    IntroductionTopic,
    MedicationFlag,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.forms.plans import (
    CLOSE_BY_HAND,
    CloseForm,
    CompleteForm,
    MidStayForm,
    PlanFilterForm,
    RetierForm,
)
from carebridge.followup.forms.stay_plans import StayItemCloseForm, StayItemForm, stay_plan_form
from carebridge.followup.models import Touchpoint
from carebridge.followup.selectors.plans import plan_get, plan_list_for_display, touchpoint_get
from carebridge.followup.selectors.stay_plans import introduction_topics, stay_plan_history, stay_plan_of
from carebridge.followup.services.discharge import plan_retier
from carebridge.followup.services.plans import midstay_talk_schedule, touchpoint_complete
from carebridge.followup.services.transitions import TOUCHPOINT_LIFECYCLE, touchpoint_close
from carebridge.patients.services.access import patient_access_record

PAGE_SIZE = 50


@login_required
@permission_required("followup.view_careplan", raise_exception=True)
def plan_list(request: HttpRequest) -> HttpResponse:
    wards = ward_list(user=request.user)
    form = PlanFilterForm(request.GET or None, wards=wards)
    queryset = plan_list_for_display(user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["tier"]:
            queryset = queryset.filter(tier=data["tier"])
        if data["ward"]:
            queryset = queryset.filter(ward_id=data["ward"])
    page = CappedPaginator(queryset.order_by("-admitted_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "followup/plan_list.html", {"page": page, "form": form, "query": query.urlencode()}
    )


def _hand_moves(touchpoints: list[Touchpoint]) -> list[int]:
    """The touchpoints a person may move by hand now, as the life cycle allows: an interview or talk to
    "done", any other touchpoint to one of the statuses of :class:`CloseForm`."""
    offered = []
    for touchpoint in touchpoints:
        allowed = set(TOUCHPOINT_LIFECYCLE.allowed(touchpoint))
        wanted: set[str] = {TouchpointStatus.DONE} if touchpoint.kind in STAY_KINDS else set(CLOSE_BY_HAND)
        if allowed & wanted:
            offered.append(touchpoint.pk)
    return offered


def _plan_context(request: HttpRequest, plan: Any, **forms: Any) -> dict[str, Any]:
    touchpoints = list(plan.touchpoints.all())
    for touchpoint in touchpoints:
        if touchpoint.kind == TouchpointKind.ADMISSION_INTERVIEW:
            touchpoint.introduction = introduction_topics(touchpoint)
    stay_plan = stay_plan_of(user=request.user, plan=plan)
    return {
        "stay_plan": stay_plan,
        "stay_history": stay_plan_history(stay_plan) if stay_plan is not None else [],
        "stay_form": forms.get("stay_form") or stay_plan_form(plan),
        "stay_item_form": StayItemForm(),
        "stay_close_form": StayItemCloseForm(),
        "introduction_topics": IntroductionTopic.choices,
        "plan": plan,
        "touchpoints": touchpoints,
        "stay_kinds": STAY_KINDS,
        "hand_moves": _hand_moves(touchpoints),
        "retier_form": forms.get("retier_form") or RetierForm(),
        "midstay_form": forms.get("midstay_form") or MidStayForm(),
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "form_touchpoint": forms.get("form_touchpoint"),
        "medication_labels": [
            str(dict(MedicationFlag.choices).get(flag, flag))
            for flag in (plan.tier_facts or {}).get("medication_flags", ())
        ],
    }


@login_required
@permission_required("followup.view_careplan", raise_exception=True)
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    patient_access_record(patient=plan.patient, user=request.user, ip_address=client_ip(request))
    return render(request, "followup/plan_detail.html", _plan_context(request, plan))


def _refused(request: HttpRequest, plan_pk: int, **forms: Any) -> HttpResponse:
    plan = plan_get(user=request.user, pk=plan_pk)
    messages.error(request, _("Nothing was changed: see the messages below."))
    return render(request, "followup/plan_detail.html", _plan_context(request, plan, **forms), status=400)


@login_required
@permission_required("followup.retier_careplan", raise_exception=True)
@require_POST
def plan_retier_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    form = RetierForm(request.POST)
    if form.is_valid():
        try:
            plan_retier(
                plan=plan,
                tier=form.cleaned_data["tier"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("The tier was changed."))
            return redirect("followup:plan_detail", pk=pk)
    return _refused(request, pk, retier_form=form)


@login_required
@permission_required("followup.add_touchpoint", raise_exception=True)
@require_POST
def plan_midstay_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_get(user=request.user, pk=pk)
    form = MidStayForm(request.POST)
    if form.is_valid():
        try:
            midstay_talk_schedule(
                plan=plan,
                actor=request.user,
                trigger=form.cleaned_data["trigger"],
                event_at=form.cleaned_data["event_at"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Mid-stay talk scheduled."))
            return redirect("followup:plan_detail", pk=pk)
    return _refused(request, pk, midstay_form=form)


@login_required
@permission_required("followup.change_touchpoint", raise_exception=True)
@require_POST
def touchpoint_complete_view(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    form = CompleteForm(request.POST)
    if form.is_valid():
        try:
            touchpoint_complete(
                touchpoint=touchpoint,
                actor=request.user,
                notes=form.cleaned_data["notes"],
                outcome=form.cleaned_data["outcome"],
                customer_file=form.customer_file(),
                introduction=(
                    request.POST.getlist("topics")
                    if touchpoint.kind == TouchpointKind.ADMISSION_INTERVIEW
                    else None
                ),
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("followup:plan_detail", pk=touchpoint.plan_id)
    if touchpoint.plan_id is None:  # a standalone call is recorded as call attempts, not completed here
        raise Http404("No such touchpoint in a care plan.")
    return _refused(request, touchpoint.plan_id, complete_form=form, form_touchpoint=touchpoint.pk)


@login_required
@permission_required("followup.change_careplan", raise_exception=True)
@require_POST
def touchpoint_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    touchpoint = touchpoint_get(user=request.user, pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            touchpoint_close(
                touchpoint=touchpoint,
                to=form.cleaned_data["to"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            if touchpoint.plan_id is None:
                return redirect("followup:call", pk=touchpoint.pk)
            return redirect("followup:plan_detail", pk=touchpoint.plan_id)
    if touchpoint.plan_id is None:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("followup:call", pk=touchpoint.pk)
    return _refused(request, touchpoint.plan_id, close_form=form, form_touchpoint=touchpoint.pk)
