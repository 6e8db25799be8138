"""Writes to doctors and their weekly clinic sessions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital, Staff
from carebridge.core.types import Actor
from carebridge.knowledge.choices import ClinicType, HalfDay, Weekday
from carebridge.knowledge.domain import text
from carebridge.knowledge.models import ClinicSession, Doctor
from carebridge.knowledge.services.entries import assign_fields, check_same_hospital, entry_save

DOCTOR_FIELDS = ("department", "staff", "name", "title", "specialties", "introduction", "is_active")


@dataclass(frozen=True)
class SessionInput:
    """One weekly clinic session of a doctor, as typed in a form or sent to the API."""

    weekday: int
    half_day: str
    clinic_type: str = ClinicType.GENERAL
    room: str = ""


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
    actor: Actor | None,
    values: Mapping[str, Any],
    sessions: Iterable[SessionInput] = (),
    mark_verified: bool = True,
) -> Doctor:
    check_same_hospital(hospital, department=values.get("department"), staff=values.get("staff"))
    cleaned_sessions = _clean_sessions(sessions)
    doctor = Doctor(hospital=hospital)
    changes = assign_fields(doctor, values, DOCTOR_FIELDS)
    doctor.name_initials = text.name_initials(doctor.name)
    entry_save(doctor, actor=actor, changes=changes, created=True, mark_verified=mark_verified)
    _replace_sessions(doctor, cleaned_sessions)
    return doctor


@transaction.atomic
def doctor_update(
    *,
    doctor: Doctor,
    actor: Actor | None,
    values: Mapping[str, Any],
    sessions: Iterable[SessionInput] | None = None,
    mark_verified: bool = True,
) -> Doctor:
    """Change a doctor; ``sessions`` (when given) replace the whole weekly schedule."""
    check_same_hospital(doctor.hospital, department=values.get("department"), staff=values.get("staff"))
    changes = assign_fields(doctor, values, DOCTOR_FIELDS)
    doctor.name_initials = text.name_initials(doctor.name)
    if sessions is not None:
        cleaned_sessions = _clean_sessions(sessions)
        before = _replace_sessions(doctor, cleaned_sessions)
        after = [str(s) for s in doctor.sessions.all()]
        if before != after:
            changes["sessions"] = [before, after]
    entry_save(doctor, actor=actor, changes=changes, created=False, mark_verified=mark_verified)
    return doctor


def staff_doctor_values(staff: Staff) -> dict[str, Any]:
    """A doctor entry's starting values from a staff record (name, title, home department)."""
    return {"staff": staff, "name": staff.name, "title": staff.title, "department": staff.home_department}
