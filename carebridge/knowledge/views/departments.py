"""Pages of the hospital's profile and of the departments (profiles, services, weekly clinic grid)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.knowledge.choices import STALE_AFTER_DAYS, Weekday
from carebridge.knowledge.forms.entries import DepartmentProfileForm, HospitalProfileForm
from carebridge.knowledge.selectors.entries import (
    department_get,
    department_profile_for,
    departments_with_profiles,
    hospital_profile_for,
    service_list,
    user_hospital,
)
from carebridge.knowledge.selectors.schedules import department_schedule
from carebridge.knowledge.services.profiles import (
    DEPARTMENT_PROFILE_FIELDS,
    HOSPITAL_PROFILE_FIELDS,
    department_profile_save,
    hospital_profile_save,
)
from carebridge.knowledge.views.entries import edit_entry


@login_required
@permission_required("knowledge.view_departmentprofile", raise_exception=True)
def department_list(request: HttpRequest) -> HttpResponse:
    hospital = user_hospital(request.user)
    context = {
        "rows": departments_with_profiles(user=request.user),
        "hospital_profile": hospital_profile_for(hospital),
        "stale_days": STALE_AFTER_DAYS,
    }
    return render(request, "knowledge/department_list.html", context)


@login_required
@permission_required("knowledge.view_departmentprofile", raise_exception=True)
def department_detail(request: HttpRequest, department_id: int) -> HttpResponse:
    department = department_get(user=request.user, department_id=department_id)
    context = {
        "department": department,
        "profile": department_profile_for(department),
        "services": service_list(user=request.user).filter(department=department),
        "schedule": department_schedule(user=request.user, department=department),
        "weekdays": Weekday.choices,
    }
    return render(request, "knowledge/department_detail.html", context)


@login_required
@permission_required("knowledge.change_departmentprofile", raise_exception=True)
def department_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    department = department_get(user=request.user, department_id=department_id)
    profile = department_profile_for(department)
    initial = {name: getattr(profile, name) for name in DEPARTMENT_PROFILE_FIELDS} if profile else {}
    form = DepartmentProfileForm(request.POST or None, initial=initial, hospital=department.hospital)
    return edit_entry(
        request,
        form,
        lambda f: department_profile_save(
            department=department, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": department.name, "cancel_url": reverse("knowledge:department", args=[department.pk])},
    )


@login_required
@permission_required("knowledge.change_hospitalprofile", raise_exception=True)
def hospital_profile_edit(request: HttpRequest) -> HttpResponse:
    hospital = staff_hospital(user=request.user)
    profile = hospital_profile_for(hospital)
    initial = {name: getattr(profile, name) for name in HOSPITAL_PROFILE_FIELDS} if profile else {}
    form = HospitalProfileForm(request.POST or None, initial=initial, hospital=hospital)
    return edit_entry(
        request,
        form,
        lambda f: hospital_profile_save(
            hospital=hospital, actor=request.user, values=f.values(), mark_verified=f.mark_verified
        ),
        {"title": hospital.name, "cancel_url": reverse("knowledge:departments")},
    )
