"""Pages of escorts (陪诊送诊): the board, a request, one escort with its history and the transition form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.frontdesk.choices import ESCORT_OPEN, EscortStatus
from carebridge.frontdesk.forms.escorts import EscortForm, EscortTransitionForm
from carebridge.frontdesk.selectors.escorts import escort_get, escort_list_for_display
from carebridge.frontdesk.services.escorts import LIFECYCLE, EscortInput, escort_request, escort_transition

PAGE_SIZE = 50


@login_required
@permission_required("frontdesk.view_escort", raise_exception=True)
def escort_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    queryset = escort_list_for_display(user=request.user)
    if status == "open":
        queryset = queryset.filter(status__in=ESCORT_OPEN).order_by("scheduled_at", "id")
    elif status in EscortStatus.values:
        queryset = queryset.filter(status=status).order_by("-scheduled_at", "-id")
    else:
        queryset = queryset.order_by("-scheduled_at", "-id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "frontdesk/escort_list.html",
        {"page": page, "status": status, "statuses": EscortStatus.choices},
    )


@login_required
@permission_required("frontdesk.add_escort", raise_exception=True)
def escort_create(request: HttpRequest) -> HttpResponse:
    form = EscortForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        patient = None
        if data["patient_mrn"].strip():
            from carebridge.patients.selectors.patients import patient_list

            patient = patient_list(user=request.user).filter(mrn=data["patient_mrn"].strip()).first()
            if patient is None:
                form.add_error("patient_mrn", _("No patient with this MRN in your scope."))
        if not form.errors:
            try:
                escort = escort_request(
                    hospital=staff_hospital(user=request.user),
                    actor=request.user,
                    data=EscortInput(
                        from_place=data["from_place"],
                        to_place=data["to_place"],
                        scheduled_at=data["scheduled_at"],
                        mobility=data["mobility"],
                        patient=patient,
                        patient_name=data["patient_name"],
                        department=data["department"],
                        notes=data["notes"],
                    ),
                )
            except ValidationError as exc:
                form.apply_service_errors(exc)
            else:
                messages.success(request, _("Escort requested."))
                return redirect("desk:escort_detail", pk=escort.pk)
    return render(request, "frontdesk/escort_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@permission_required("frontdesk.view_escort", raise_exception=True)
def escort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escort = escort_get(user=request.user, pk=pk)
    form = EscortTransitionForm(user=request.user, allowed=LIFECYCLE.allowed_choices(escort))
    return render(request, "frontdesk/escort_detail.html", {"escort": escort, "form": form})


@login_required
@permission_required("frontdesk.change_escort", raise_exception=True)
@require_POST
def escort_transition_view(request: HttpRequest, pk: int) -> HttpResponse:
    escort = escort_get(user=request.user, pk=pk)
    form = EscortTransitionForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            escort_transition(
                escort=escort,
                to=form.cleaned_data["to"],
                actor=request.user,
                staff=form.cleaned_data["staff"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("desk:escort_detail", pk=pk)
    messages.error(request, _("Nothing was changed: see the messages below."))
    return render(request, "frontdesk/escort_detail.html", {"escort": escort, "form": form}, status=400)
