"""Pages of doctors and their clinic sessions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.knowledge.choices import Weekday
from carebridge.knowledge.forms.doctors import DoctorForm
from carebridge.knowledge.selectors import entries as selectors
from carebridge.knowledge.services import doctors as services
from carebridge.knowledge.views.entries import edit_entry, entry_url


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
    return edit_entry(
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
    return edit_entry(
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
