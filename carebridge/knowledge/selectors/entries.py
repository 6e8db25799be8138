"""Reads of the living dictionary's entries, scoped to the user's hospital.

Knowledge is not patient data: any staff member with the view permission reads the whole dictionary
of their hospital (the department part of the data scope does not apply). Another hospital's entries
are invisible, as everywhere."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from carebridge.core.models import Department, Hospital
from carebridge.core.scope import restrict
from carebridge.core.selectors.organisation import department_list
from carebridge.core.types import Actor
from carebridge.knowledge.models import (
    ClinicSession,
    DepartmentProfile,
    Doctor,
    ExternalHospital,
    Faq,
    HospitalProfile,
    Service,
)


def user_hospital(user: Actor) -> Hospital | None:
    """The hospital whose dictionary the user edits (their staff record's)."""
    staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    return staff.hospital if staff is not None else None


def department_profile_list(*, user: Actor) -> QuerySet[DepartmentProfile]:
    return restrict(DepartmentProfile.objects.select_related("department", "verified_by"), user, "view")


def department_get(*, user: Actor, department_id: int) -> Department:
    """A department of the user's hospital (whose profile may not exist yet), or 404."""
    if not user.has_perm("knowledge.view_departmentprofile"):
        raise Http404("No such department.")
    department = department_list(user=user).filter(pk=department_id).first()
    if department is None:
        raise Http404("No such department in your hospital.")
    return department


def department_profile_for(department: Department) -> DepartmentProfile | None:
    return DepartmentProfile.objects.select_related("verified_by").filter(department=department).first()


def departments_with_profiles(*, user: Actor) -> list[tuple[Department, DepartmentProfile | None]]:
    """Clinical and medical-technical departments of the user's hospital, each with its profile if any."""
    if not user.has_perm("knowledge.view_departmentprofile"):
        return []
    departments = (
        department_list(user=user)
        .filter(kind__in=["clinical", "medical_technical"], is_active=True)
        .order_by("hospital_id", "code")
    )
    profiles = {p.department_id: p for p in department_profile_list(user=user)}
    return [(department, profiles.get(department.pk)) for department in departments]


def service_list(*, user: Actor) -> QuerySet[Service]:
    return restrict(Service.objects.select_related("department", "verified_by"), user, "view")


def doctor_list(*, user: Actor) -> QuerySet[Doctor]:
    return restrict(
        Doctor.objects.select_related("department", "verified_by", "staff"), user, "view"
    ).prefetch_related(Prefetch("sessions", queryset=ClinicSession.objects.order_by("weekday", "half_day")))


def external_hospital_list(*, user: Actor) -> QuerySet[ExternalHospital]:
    return restrict(
        ExternalHospital.objects.select_related("region__parent__parent", "verified_by"), user, "view"
    )


def faq_list(*, user: Actor) -> QuerySet[Faq]:
    return restrict(Faq.objects.select_related("verified_by"), user, "view")


def entry_get(queryset: QuerySet[Any], pk: int) -> Any:
    """One entry of a scoped list, or 404 (another hospital's entry looks the same as a missing one)."""
    entry = queryset.filter(pk=pk).first()
    if entry is None:
        raise Http404("No such entry.")
    return entry


def hospital_profile_for(hospital: Hospital | None) -> HospitalProfile | None:
    if hospital is None:
        return None
    return HospitalProfile.objects.filter(hospital=hospital).first()
