"""Writes to the living dictionary. Each service is one transaction with its audit row and index update.

Saving an entry through a service also marks it verified by the editor (``mark_verified``, on by default:
an editor who changes an entry has just checked it); :func:`entry_verify` records a check without change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital, Region, Staff
from carebridge.core.services.audit import audit_record
from carebridge.knowledge import indexing, text
from carebridge.knowledge.choices import ClinicType, HalfDay, Weekday
from carebridge.knowledge.models import (
    ClinicSession,
    DepartmentProfile,
    Doctor,
    ExternalHospital,
    Faq,
    HospitalProfile,
    Service,
    VerifiedEntry,
)

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
SERVICE_FIELDS = ("department", "name", "synonyms", "description", "approach", "offered_here", "note")
DOCTOR_FIELDS = ("department", "staff", "name", "title", "specialties", "introduction", "is_active")
EXTERNAL_FIELDS = (
    "name",
    "level",
    "region",
    "address",
    "latitude",
    "longitude",
    "phone",
    "reputation",
    "services_offered",
    "specialties",
    "note",
    "is_active",
)
FAQ_FIELDS = ("category", "question", "answer", "keywords", "is_active")


@dataclass(frozen=True)
class SessionInput:
    """One weekly clinic session of a doctor, as typed in a form or sent to the API."""

    weekday: int
    half_day: str
    clinic_type: str = ClinicType.GENERAL
    room: str = ""


def _display(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _assign(entry: models.Model, values: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, list[Any]]:
    """Set the allowed fields present in ``values``; return the changes as ``{field: [old, new]}``."""
    changes: dict[str, list[Any]] = {}
    for field in allowed:
        if field not in values:
            continue
        new = values[field]
        if isinstance(new, str):
            new = new.strip()
        old = getattr(entry, field, None)
        if old != new:
            changes[field] = [_display(old), _display(new)]
            setattr(entry, field, new)
    return changes


def _check_same_hospital(hospital: Hospital, **related: Any) -> None:
    errors = {
        name: [_("This belongs to another hospital.")]
        for name, obj in related.items()
        if obj is not None and obj.hospital_id != hospital.pk
    }
    if errors:
        raise ValidationError(errors)


def _stamp(entry: VerifiedEntry, actor: Any, mark_verified: bool) -> None:
    if mark_verified:
        entry.last_verified_at = timezone.now()
        entry.verified_by = actor if getattr(actor, "is_authenticated", False) else None


def _save(
    entry: VerifiedEntry, *, actor: Any, changes: dict[str, list[Any]], created: bool, mark_verified: bool
) -> None:
    """Validate (field validators, choices, unique constraints), save, index and audit one entry."""
    latitude, longitude = getattr(entry, "latitude", None), getattr(entry, "longitude", None)
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": [_("Give both latitude and longitude, or neither.")]})
    if isinstance(entry, Service | ExternalHospital) and (
        type(entry)
        .objects.filter(hospital_id=entry.hospital_id, name=entry.name)
        .exclude(pk=entry.pk)
        .exists()
    ):
        raise ValidationError({"name": [_("This hospital already has an entry with this name.")]})
    entry.full_clean(exclude=["verified_by"])
    _stamp(entry, actor, mark_verified)
    entry.save()
    if entry.kind:
        indexing.index_entry(entry)  # type: ignore[arg-type]
    name = type(entry)._meta.model_name
    audit_record(
        actor=actor,
        action=f"knowledge.{name}.{'create' if created else 'update'}",
        obj=entry,
        summary=str(entry),
        changes=changes,
    )


# --- the hospital and its departments -------------------------------------------------------------


@transaction.atomic
def hospital_profile_save(
    *, hospital: Hospital, actor: Any, values: Mapping[str, Any], mark_verified: bool = True
) -> HospitalProfile:
    """Create or change the hospital's own profile (its coordinates are the origin of "nearest")."""
    profile = HospitalProfile.objects.select_for_update().filter(hospital=hospital).first()
    created = profile is None
    profile = profile or HospitalProfile(hospital=hospital)
    changes = _assign(profile, values, HOSPITAL_PROFILE_FIELDS)
    _save(profile, actor=actor, changes=changes, created=created, mark_verified=mark_verified)
    return profile


@transaction.atomic
def department_profile_save(
    *, department: Department, actor: Any, values: Mapping[str, Any], mark_verified: bool = True
) -> DepartmentProfile:
    """Create or change a department's profile (诊治范围, 特色技术, 设备, 位置)."""
    profile = DepartmentProfile.objects.select_for_update().filter(department=department).first()
    created = profile is None
    profile = profile or DepartmentProfile(department=department, hospital_id=department.hospital_id)
    changes = _assign(profile, values, DEPARTMENT_PROFILE_FIELDS)
    _save(profile, actor=actor, changes=changes, created=created, mark_verified=mark_verified)
    return profile


# --- services -------------------------------------------------------------------------------------


@transaction.atomic
def service_create(
    *, hospital: Hospital, actor: Any, values: Mapping[str, Any], mark_verified: bool = True
) -> Service:
    _check_same_hospital(hospital, department=values.get("department"))
    service = Service(hospital=hospital)
    changes = _assign(service, values, SERVICE_FIELDS)
    _save(service, actor=actor, changes=changes, created=True, mark_verified=mark_verified)
    indexing.index_department(service.department_id)
    return service


@transaction.atomic
def service_update(
    *, service: Service, actor: Any, values: Mapping[str, Any], mark_verified: bool = True
) -> Service:
    _check_same_hospital(service.hospital, department=values.get("department"))
    previous_department_id = service.department_id
    changes = _assign(service, values, SERVICE_FIELDS)
    _save(service, actor=actor, changes=changes, created=False, mark_verified=mark_verified)
    indexing.index_department(service.department_id)
    if previous_department_id != service.department_id:
        indexing.index_department(previous_department_id)
    return service


# --- doctors and their clinic sessions ------------------------------------------------------------


def _clean_sessions(sessions: Iterable[SessionInput]) -> list[SessionInput]:
    cleaned: list[SessionInput] = []
    problems: list[str] = []
    taken: dict[int, set[str]] = {}
    for session in sessions:
        if session.weekday not in Weekday.values:
            problems.append(
                _("%(value)s is not a weekday (1 = Monday … 7 = Sunday).") % {"value": session.weekday}
            )
            continue
        if session.half_day not in HalfDay.values:
            problems.append(_("%(value)s is not a half-day.") % {"value": session.half_day})
            continue
        if session.clinic_type not in ClinicType.values:
            problems.append(_("%(value)s is not a clinic type.") % {"value": session.clinic_type})
            continue
        day = taken.setdefault(session.weekday, set())
        clash = (
            session.half_day in day
            or (session.half_day == HalfDay.FULL_DAY and day)
            or (HalfDay.FULL_DAY in day)
        )
        if clash:
            problems.append(_("Two sessions overlap on %(day)s.") % {"day": Weekday(session.weekday).label})
            continue
        day.add(session.half_day)
        cleaned.append(
            SessionInput(session.weekday, session.half_day, session.clinic_type, session.room.strip()[:64])
        )
    if problems:
        raise ValidationError({"sessions": problems})
    return cleaned


def _replace_sessions(doctor: Doctor, sessions: list[SessionInput]) -> list[str]:
    before = [str(s) for s in doctor.sessions.all()]
    doctor.sessions.all().delete()
    ClinicSession.objects.bulk_create(
        ClinicSession(
            doctor=doctor, weekday=s.weekday, half_day=s.half_day, clinic_type=s.clinic_type, room=s.room
        )
        for s in sessions
    )
    return before


@transaction.atomic
def doctor_create(
    *,
    hospital: Hospital,
    actor: Any,
    values: Mapping[str, Any],
    sessions: Iterable[SessionInput] = (),
    mark_verified: bool = True,
) -> Doctor:
    _check_same_hospital(hospital, department=values.get("department"), staff=values.get("staff"))
    cleaned_sessions = _clean_sessions(sessions)
    doctor = Doctor(hospital=hospital)
    changes = _assign(doctor, values, DOCTOR_FIELDS)
    doctor.name_initials = text.name_initials(doctor.name)
    _save(doctor, actor=actor, changes=changes, created=True, mark_verified=mark_verified)
    _replace_sessions(doctor, cleaned_sessions)
    return doctor


@transaction.atomic
def doctor_update(
    *,
    doctor: Doctor,
    actor: Any,
    values: Mapping[str, Any],
    sessions: Iterable[SessionInput] | None = None,
    mark_verified: bool = True,
) -> Doctor:
    """Change a doctor; ``sessions`` (when given) replace the whole weekly schedule."""
    _check_same_hospital(doctor.hospital, department=values.get("department"), staff=values.get("staff"))
    changes = _assign(doctor, values, DOCTOR_FIELDS)
    doctor.name_initials = text.name_initials(doctor.name)
    if sessions is not None:
        cleaned_sessions = _clean_sessions(sessions)
        before = _replace_sessions(doctor, cleaned_sessions)
        after = [str(s) for s in doctor.sessions.all()]
        if before != after:
            changes["sessions"] = [before, after]
    _save(doctor, actor=actor, changes=changes, created=False, mark_verified=mark_verified)
    return doctor


def staff_doctor_values(staff: Staff) -> dict[str, Any]:
    """A doctor entry's starting values from a staff record (name, title, home department)."""
    return {"staff": staff, "name": staff.name, "title": staff.title, "department": staff.home_department}


# --- external hospitals and FAQ -------------------------------------------------------------------


def _region_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Accept ``region`` as a Region, a GB/T 2260 code or empty."""
    cleaned = dict(values)
    region = cleaned.get("region")
    if isinstance(region, str):
        code = region.strip()
        found = Region.objects.filter(code=code).first() if code else None
        if code and found is None:
            raise ValidationError({"region": [_("Unknown region code %(code)s.") % {"code": code}]})
        cleaned["region"] = found
    return cleaned


@transaction.atomic
def external_hospital_create(
    *, hospital: Hospital, actor: Any, values: Mapping[str, Any], mark_verified: bool = True
) -> ExternalHospital:
    cleaned = _region_values(values)
    external = ExternalHospital(hospital=hospital)
    changes = _assign(external, cleaned, EXTERNAL_FIELDS)
    _save(external, actor=actor, changes=changes, created=True, mark_verified=mark_verified)
    return external


@transaction.atomic
def external_hospital_update(
    *, external: ExternalHospital, actor: Any, values: Mapping[str, Any], mark_verified: bool = True
) -> ExternalHospital:
    cleaned = _region_values(values)
    changes = _assign(external, cleaned, EXTERNAL_FIELDS)
    _save(external, actor=actor, changes=changes, created=False, mark_verified=mark_verified)
    return external


@transaction.atomic
def faq_create(
    *, hospital: Hospital, actor: Any, values: Mapping[str, Any], mark_verified: bool = True
) -> Faq:
    faq = Faq(hospital=hospital)
    changes = _assign(faq, values, FAQ_FIELDS)
    _save(faq, actor=actor, changes=changes, created=True, mark_verified=mark_verified)
    return faq


@transaction.atomic
def faq_update(*, faq: Faq, actor: Any, values: Mapping[str, Any], mark_verified: bool = True) -> Faq:
    changes = _assign(faq, values, FAQ_FIELDS)
    _save(faq, actor=actor, changes=changes, created=False, mark_verified=mark_verified)
    return faq


# --- verification ---------------------------------------------------------------------------------


@transaction.atomic
def entry_verify(*, entry: VerifiedEntry, actor: Any) -> VerifiedEntry:
    """Record that someone checked the entry and found it correct ("mark verified"), without changing it."""
    previous = entry.last_verified_at
    _stamp(entry, actor, True)
    entry.save(update_fields=["last_verified_at", "verified_by", "updated_at"])
    audit_record(
        actor=actor,
        action=f"knowledge.{type(entry)._meta.model_name}.verify",
        obj=entry,
        summary=_("Verified"),
        changes={"last_verified_at": [_display(previous), _display(entry.last_verified_at)]},
    )
    return entry
