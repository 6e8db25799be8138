"""Writes to the hospital's own profile and to the department profiles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from carebridge.core.models import Department, Hospital
from carebridge.core.types import Actor
from carebridge.knowledge.models import DepartmentProfile, HospitalProfile
from carebridge.knowledge.services.entries import assign_fields, entry_save

HOSPITAL_PROFILE_FIELDS = ("introduction", "address", "latitude", "longitude", "phone")
DEPARTMENT_PROFILE_FIELDS = (
    "introduction",
    "treatment_scope",
    "special_techniques",
    "equipment",
    "non_surgical_option",
    "building",
    "floor",
    "location",
    "phone",
)


@transaction.atomic
def hospital_profile_save(
    *, hospital: Hospital, actor: Actor | None, values: Mapping[str, Any], mark_verified: bool = True
) -> HospitalProfile:
    """Create or change the hospital's own profile (its coordinates are the origin of "nearest")."""
    profile = HospitalProfile.objects.select_for_update().filter(hospital=hospital).first()
    created = profile is None
    profile = profile or HospitalProfile(hospital=hospital)
    changes = assign_fields(profile, values, HOSPITAL_PROFILE_FIELDS)
    entry_save(profile, actor=actor, changes=changes, created=created, mark_verified=mark_verified)
    return profile


@transaction.atomic
def department_profile_save(
    *, department: Department, actor: Actor | None, values: Mapping[str, Any], mark_verified: bool = True
) -> DepartmentProfile:
    """Create or change a department's profile (诊治范围, 特色技术, 设备, 位置)."""
    profile = DepartmentProfile.objects.select_for_update().filter(department=department).first()
    created = profile is None
    profile = profile or DepartmentProfile(department=department, hospital_id=department.hospital_id)
    changes = assign_fields(profile, values, DEPARTMENT_PROFILE_FIELDS)
    entry_save(profile, actor=actor, changes=changes, created=created, mark_verified=mark_verified)
    return profile
