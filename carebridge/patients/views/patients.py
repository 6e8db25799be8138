"""Registry pages of one patient and the list: thin views that parse input, call a selector or a service,
and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.http import client_ip
from carebridge.core.pagination import LookupPaginator
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.core.timeline import timeline_for
from carebridge.patients.exports import export_patients
from carebridge.patients.filters import PatientFilterSet, search_box_only
from carebridge.patients.forms.access import RevealForm
from carebridge.patients.forms.patients import PatientForm
from carebridge.patients.selectors.encounters import encounter_list_for_patient
from carebridge.patients.selectors.lookup import patient_lookup
from carebridge.patients.selectors.merges import merges_for_patient
from carebridge.patients.selectors.patients import (
    patient_get,
    patient_list_for_display,
    patient_pick_label,
    patient_rows_ready,
    patient_search,
)
from carebridge.patients.services.access import patient_access_record, patient_reveal
from carebridge.patients.services.patients import patient_create, patient_update

PAGE_SIZE = 25


@login_required
@permission_required("patients.view_patient", raise_exception=True)
def patient_list(request: HttpRequest) -> HttpResponse:
    queryset = patient_list_for_display(user=request.user).prefetch_related("tags")
    filterset = PatientFilterSet(request.GET, queryset=queryset, request=request)
    query = search_box_only(request.GET)
    rows = filterset.qs if query is None else patient_lookup(user=request.user, query=query)
    page = LookupPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    patient_rows_ready(page)
    log_lookup_of_one(request, filterset.form.cleaned_data.get("q") if filterset.is_valid() else "", page)
    context = {"filterset": filterset, "page": page, "query_string": query_without_page(request)}
    template = "patients/_patient_rows.html" if request.htmx else "patients/patient_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def log_lookup_of_one(request: HttpRequest, query: str | None, found: Any) -> None:
    """A search that finds exactly one person (an MRN, an ID number, a phone) is a look-up of that
    person's record: one access-log row, like opening it. Browsing a list of many writes none."""
    rows = list(found)
    if query and len(rows) == 1:
        patient_access_record(
            patient=rows[0], user=request.user, ip_address=client_ip(request), reason="search"
        )


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@permission_required("patients.view_patient", raise_exception=True)
def patient_detail(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_get(user=request.user, pk=pk, include_merged=True)
    patient_access_record(patient=patient, user=request.user, ip_address=client_ip(request))
    context = {
        "patient": patient,
        "encounters": encounter_list_for_patient(patient=patient, user=request.user),
        "timeline": timeline_for(patient, request.user),
        "merges": merges_for_patient(patient=patient),
        "related_customers": patient.related_customers.all(),
        "reveal_form": RevealForm(),
    }
    return render(request, "patients/patient_detail.html", context)


@login_required
@require_POST
def patient_reveal_view(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_get(user=request.user, pk=pk, include_merged=True)
    form = RevealForm(request.POST)
    context: dict[str, Any] = {"patient": patient, "reveal_form": form}
    status = 200
    if form.is_valid():
        try:
            context["revealed"] = patient_reveal(
                patient=patient,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                fields=form.cleaned_data["show"],
                ip_address=client_ip(request),
            )
        except PermissionDenied as exc:
            context["refused"], status = str(exc), 403
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            status = 400
    else:
        status = 400
    return render(request, "patients/_reveal.html", context, status=status)


@login_required
@permission_required("patients.add_patient", raise_exception=True)
def patient_create_view(request: HttpRequest) -> HttpResponse:
    form = PatientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = patient_create(
                hospital=staff_hospital(user=request.user),
                actor=request.user,
                values=form.service_values(),
                phones=form.cleaned_data["phones"],
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Patient %(name)s registered.") % {"name": patient.name})
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("patients.change_patient", raise_exception=True)
def patient_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_get(user=request.user, pk=pk)
    patient_access_record(patient=patient, user=request.user, ip_address=client_ip(request), reason="edit")
    initial = {
        "mrn": patient.mrn,
        "name": patient.name,
        "sex": patient.sex,
        "birth_date": patient.birth_date,
        "region": patient.region_id or "",
        "address": patient.address,
        "tags": ", ".join(t.name for t in patient.tags.all()),
        "contact_consent": patient.contact_consent,
        "survey_consent": patient.survey_consent,
    }
    form = PatientForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        phones = form.cleaned_data["phones"]
        try:
            patient_update(
                patient=patient,
                actor=request.user,
                values=form.service_values(),
                phones=phones or None,
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/patient_form.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required("patients.export_patients", raise_exception=True)
def patient_export(request: HttpRequest) -> HttpResponse:
    queryset = patient_list_for_display(user=request.user).prefetch_related("tags")
    filterset = PatientFilterSet(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        return HttpResponse(_("Invalid filters."), status=400)
    return export_patients(
        patients=filterset.qs,
        user=request.user,
        file_format=request.GET.get("format", "xlsx"),
        ip_address=client_ip(request),
    )


PICK_LIMIT = 10


@login_required
@permission_required("patients.view_patient", raise_exception=True)
def patient_pick(request: HttpRequest) -> JsonResponse:
    """The registry's one search box for a form's patient picker: ``?q=`` (name, pinyin initials, phone
    tail, national ID, MRN) → up to ten patients of the user's scope, each as id and a label with no
    identifier in clear (name, sex, birth year, MRN)."""
    query = request.GET.get("q", "").strip()
    if not query:
        return JsonResponse({"results": []})
    found = patient_search(patient_list_for_display(user=request.user), query)
    patients = found.order_by("name", "pk")[:PICK_LIMIT]
    return JsonResponse({"results": [{"id": p.pk, "label": patient_pick_label(p)} for p in patients]})
