"""Pages of the living dictionary: search, entries, edit forms and "mark verified". Thin views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.knowledge import selectors, services
from carebridge.knowledge.choices import STALE_AFTER_DAYS, EntryKind, Weekday
from carebridge.knowledge.forms import (
    DepartmentProfileForm,
    DoctorForm,
    EntryForm,
    ExternalHospitalForm,
    FaqForm,
    HospitalProfileForm,
    SearchForm,
)
from carebridge.knowledge.forms import ServiceForm as ServiceEntryForm
from carebridge.knowledge.geo import Origin


def _edit(
    request: HttpRequest,
    form: EntryForm,
    save: Callable[[EntryForm], Any],
    context: dict[str, Any],
    template: str = "knowledge/entry_form.html",
) -> HttpResponse:
    """Validate the form, call the service, go to the entry's page; show a service error on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            entry = save(form)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(entry_url(entry))
    return render(request, template, {"form": form, **context}, status=400 if form.errors else 200)


def entry_url(entry: Any) -> str:
    kind = getattr(entry, "kind", "")
    if kind == EntryKind.DEPARTMENT:
        return reverse("knowledge:department", args=[entry.department_id])
    if kind == EntryKind.SERVICE:
        return reverse("knowledge:service", args=[entry.pk])
    if kind == EntryKind.DOCTOR:
        return reverse("knowledge:doctor", args=[entry.pk])
    if kind == EntryKind.EXTERNAL:
        return reverse("knowledge:external", args=[entry.pk])
    if kind == EntryKind.FAQ:
        return reverse("knowledge:faq_list") + f"#faq-{entry.pk}"
    return reverse("knowledge:departments")


# --- search ---------------------------------------------------------------------------------------


@login_required
@permission_required("knowledge.view_departmentprofile", raise_exception=True)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        origin = None
        if form.cleaned_data["region"]:
            origin = Origin(region_code=form.cleaned_data["region"], label=form.cleaned_data["region"])
        results = selectors.knowledge_search(user=request.user, query=form.cleaned_data["q"], origin=origin)
    context = {"form": form, "results": results, "kinds": EntryKind}
    template = "knowledge/_results.html" if request.htmx else "knowledge/search.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=400 if form.errors else 200)


# --- departments ----------------------------------------------------------------------------------


@login_required
@permission_required("knowledge.view_departmentprofile", raise_exception=True)
def department_list(request: HttpRequest) -> HttpResponse:
    hospital = selectors.user_hospital(request.user)
    context = {
        "rows": selectors.departments_with_profiles(user=request.user),
        "hospital_profile": selectors.hospital_profile_for(hospital),
        "stale_days": STALE_AFTER_DAYS,
    }
    return render(request, "knowledge/department_list.html", context)


@login_required
@permission_required("knowledge.view_departmentprofile", raise_exception=True)
def department_detail(request: HttpRequest, department_id: int) -> HttpResponse:
    department = selectors.department_get(user=request.user, department_id=department_id)
    context = {
        "department": department,
        "profile": selectors.department_profile_for(department),
        "services": selectors.service_list(user=request.user).filter(department=department),
        "schedule": selectors.department_schedule(user=request.user, department=department),
        "weekdays": Weekday.choices,
    }
    return render(request, "knowledge/department_detail.html", context)


@login_required
@permission_required("knowledge.change_departmentprofile", raise_exception=True)
def department_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    department = selectors.department_get(user=request.user, department_id=department_id)
    profile = selectors.department_profile_for(department)
    initial = {name: getattr(profile, name) for name in services.DEPARTMENT_PROFILE_FIELDS} if profile else {}
    form = DepartmentProfileForm(request.POST or None, initial=initial, hospital=department.hospital)
    return _edit(
        request,
        form,
        lambda f: services.department_profile_save(
            department=department, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": department.name, "cancel_url": reverse("knowledge:department", args=[department.pk])},
    )


@login_required
@permission_required("knowledge.change_hospitalprofile", raise_exception=True)
def hospital_profile_edit(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    profile = selectors.hospital_profile_for(hospital)
    initial = {name: getattr(profile, name) for name in services.HOSPITAL_PROFILE_FIELDS} if profile else {}
    form = HospitalProfileForm(request.POST or None, initial=initial, hospital=hospital)
    return _edit(
        request,
        form,
        lambda f: services.hospital_profile_save(
            hospital=hospital, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": hospital.name, "cancel_url": reverse("knowledge:departments")},
    )


# --- services, doctors, external hospitals, FAQ ---------------------------------------------------


@login_required
@permission_required("knowledge.view_service", raise_exception=True)
def service_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.service_list(user=request.user).order_by("-offered_here", "department__code", "name")
    return render(request, "knowledge/service_list.html", {"entries": entries})


@login_required
@permission_required("knowledge.view_service", raise_exception=True)
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.entry_get(selectors.service_list(user=request.user), pk)
    return render(request, "knowledge/service_detail.html", {"entry": service})


@login_required
@permission_required("knowledge.add_service", raise_exception=True)
def service_create(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = ServiceEntryForm(
        request.POST or None, hospital=hospital, initial={"department": request.GET.get("department")}
    )
    return _edit(
        request,
        form,
        lambda f: services.service_create(
            hospital=hospital, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": _("New service"), "cancel_url": reverse("knowledge:services")},
    )


@login_required
@permission_required("knowledge.change_service", raise_exception=True)
def service_edit(request: HttpRequest, pk: int) -> HttpResponse:
    service = selectors.entry_get(selectors.service_list(user=request.user), pk)
    initial = {name: getattr(service, name) for name in services.SERVICE_FIELDS}
    form = ServiceEntryForm(request.POST or None, initial=initial, hospital=service.hospital)
    return _edit(
        request,
        form,
        lambda f: services.service_update(
            service=service, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": service.name, "cancel_url": entry_url(service)},
    )


@login_required
@permission_required("knowledge.view_doctor", raise_exception=True)
def doctor_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.doctor_list(user=request.user).filter(is_active=True)
    return render(request, "knowledge/doctor_list.html", {"entries": entries})


@login_required
@permission_required("knowledge.view_doctor", raise_exception=True)
def doctor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doctor = selectors.entry_get(selectors.doctor_list(user=request.user), pk)
    return render(request, "knowledge/doctor_detail.html", {"entry": doctor})


@login_required
@permission_required("knowledge.add_doctor", raise_exception=True)
def doctor_create(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = DoctorForm(
        request.POST or None, hospital=hospital, initial={"department": request.GET.get("department")}
    )
    return _edit(
        request,
        form,
        lambda f: services.doctor_create(
            hospital=hospital,
            actor=request.user,
            values=f.values(),
            sessions=f.sessions(),  # type: ignore[attr-defined]
            mark_verified=f.mark_verified,
        ),
        {"title": _("New doctor"), "cancel_url": reverse("knowledge:doctors"), "weekdays": Weekday.choices},
        template="knowledge/doctor_form.html",
    )


@login_required
@permission_required("knowledge.change_doctor", raise_exception=True)
def doctor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doctor = selectors.entry_get(selectors.doctor_list(user=request.user), pk)
    initial = {name: getattr(doctor, name) for name in services.DOCTOR_FIELDS} | DoctorForm.session_initial(
        doctor
    )
    form = DoctorForm(request.POST or None, initial=initial, hospital=doctor.hospital)
    return _edit(
        request,
        form,
        lambda f: services.doctor_update(
            doctor=doctor,
            actor=request.user,
            values=f.values(),
            sessions=f.sessions(),  # type: ignore[attr-defined]
            mark_verified=f.mark_verified,
        ),
        {"title": str(doctor), "cancel_url": entry_url(doctor), "weekdays": Weekday.choices},
        template="knowledge/doctor_form.html",
    )


@login_required
@permission_required("knowledge.view_externalhospital", raise_exception=True)
def external_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.external_hospital_list(user=request.user).order_by(
        "-is_active", "-reputation", "name"
    )
    return render(request, "knowledge/external_list.html", {"entries": entries})


@login_required
@permission_required("knowledge.view_externalhospital", raise_exception=True)
def external_detail(request: HttpRequest, pk: int) -> HttpResponse:
    external = selectors.entry_get(selectors.external_hospital_list(user=request.user), pk)
    return render(request, "knowledge/external_detail.html", {"entry": external})


@login_required
@permission_required("knowledge.add_externalhospital", raise_exception=True)
def external_create(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = ExternalHospitalForm(request.POST or None, hospital=hospital)
    return _edit(
        request,
        form,
        lambda f: services.external_hospital_create(
            hospital=hospital, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": _("New external hospital"), "cancel_url": reverse("knowledge:externals")},
    )


@login_required
@permission_required("knowledge.change_externalhospital", raise_exception=True)
def external_edit(request: HttpRequest, pk: int) -> HttpResponse:
    external = selectors.entry_get(selectors.external_hospital_list(user=request.user), pk)
    initial = {name: getattr(external, name) for name in services.EXTERNAL_FIELDS} | {
        "region": external.region_id or ""
    }
    form = ExternalHospitalForm(request.POST or None, initial=initial, hospital=external.hospital)
    return _edit(
        request,
        form,
        lambda f: services.external_hospital_update(
            external=external, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": external.name, "cancel_url": entry_url(external)},
    )


@login_required
@permission_required("knowledge.view_faq", raise_exception=True)
def faq_list(request: HttpRequest) -> HttpResponse:
    entries = selectors.faq_list(user=request.user).filter(is_active=True)
    return render(request, "knowledge/faq_list.html", {"entries": entries})


@login_required
@permission_required("knowledge.add_faq", raise_exception=True)
def faq_create(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    form = FaqForm(request.POST or None, hospital=hospital)
    return _edit(
        request,
        form,
        lambda f: services.faq_create(
            hospital=hospital, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": _("New question"), "cancel_url": reverse("knowledge:faq_list")},
    )


@login_required
@permission_required("knowledge.change_faq", raise_exception=True)
def faq_edit(request: HttpRequest, pk: int) -> HttpResponse:
    faq = selectors.entry_get(selectors.faq_list(user=request.user), pk)
    initial = {name: getattr(faq, name) for name in services.FAQ_FIELDS}
    form = FaqForm(request.POST or None, initial=initial, hospital=faq.hospital)
    return _edit(
        request,
        form,
        lambda f: services.faq_update(
            faq=faq, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": faq.question, "cancel_url": entry_url(faq)},
    )


# --- mark verified --------------------------------------------------------------------------------

_VERIFY = {
    EntryKind.DEPARTMENT: ("departmentprofile", selectors.department_profile_list),
    EntryKind.SERVICE: ("service", selectors.service_list),
    EntryKind.DOCTOR: ("doctor", selectors.doctor_list),
    EntryKind.EXTERNAL: ("externalhospital", selectors.external_hospital_list),
    EntryKind.FAQ: ("faq", selectors.faq_list),
}


@login_required
@require_POST
def verify(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Record that the entry was checked and is still correct ("mark verified")."""
    if kind not in _VERIFY:
        raise Http404("No such kind of entry.")
    model_name, selector = _VERIFY[EntryKind(kind)]
    if not request.user.has_perm(f"knowledge.change_{model_name}"):
        raise PermissionDenied(_("You may not edit the knowledge base."))
    entry = selectors.entry_get(selector(user=request.user), pk)
    services.entry_verify(entry=entry, actor=request.user)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "knowledge/_verified.html", {"entry": entry, "kind": kind, "can_verify": True})
    messages.success(request, _("Marked as verified."))
    return redirect(entry_url(entry))
