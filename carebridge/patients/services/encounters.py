"""Writes to encounters: a visit, stay or checkup with its ICD-10 diagnoses, and the end of a stay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Staff, Ward
from carebridge.core.scope import scope_for
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.core.validators import EARLIEST_BIRTH_YEAR, require_aware
from carebridge.patients.choices import EncounterKind
from carebridge.patients.domain import icd10
from carebridge.patients.models import Diagnosis, Encounter, Patient
from carebridge.patients.services.departments import patient_departments_sync


@dataclass(frozen=True)
class DiagnosisInput:
    code: str
    name: str
    is_primary: bool = False


def _before_birth(patient: Patient, started_at: dt.datetime) -> bool:
    """Before the patient's birth date, or before the earliest plausible one when it is unknown."""
    earliest = patient.birth_date or dt.date(EARLIEST_BIRTH_YEAR, 1, 1)
    return timezone.localdate(started_at) < earliest


@transaction.atomic
def encounter_create(
    *,
    patient: Patient,
    actor: Actor,
    kind: str,
    department: Department,
    started_at: dt.datetime,
    ended_at: dt.datetime | None = None,
    ward: Ward | None = None,
    attending_doctor: Staff | None = None,
    primary_nurse: Staff | None = None,
    surgery_grade: int | None = None,
    critical: bool = False,
    diagnoses: Iterable[DiagnosisInput] = (),
    source_key: str | None = None,
) -> Encounter:
    """Record a visit, stay or checkup. A re-delivered ``source_key`` returns the existing encounter."""
    if source_key:
        existing = Encounter.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    if not actor.has_perm("patients.add_encounter"):
        raise PermissionDenied(_("You are not allowed to record encounters."))
    errors: dict[str, list[str]] = {}
    if kind not in EncounterKind.values:
        errors["kind"] = [_("Unknown encounter kind.")]
    if department.hospital_id != patient.hospital_id:
        errors["department"] = [_("The department belongs to another hospital.")]
    if not scope_for(actor).allows_department(department.pk, department.hospital_id):
        raise PermissionDenied(_("You may not record encounters for this department."))
    if ward is not None and ward.department_id != department.pk:
        errors["ward"] = [_("The ward does not belong to the department.")]
    if kind == EncounterKind.INPATIENT and ward is None:
        errors["ward"] = [_("An inpatient stay needs a ward.")]
    for field, person in (("attending_doctor", attending_doctor), ("primary_nurse", primary_nurse)):
        if person is not None and person.hospital_id != patient.hospital_id:
            errors[field] = [_("This member of staff works in another hospital.")]
    if timezone.is_naive(started_at) or (ended_at is not None and timezone.is_naive(ended_at)):
        errors["started_at"] = [_("Times must carry a time zone.")]
    elif ended_at is not None and ended_at < started_at:
        errors["ended_at"] = [_("Discharge cannot be before admission.")]
    if not errors.get("started_at") and _before_birth(patient, started_at):
        # (The API fuzzing stored a stay of the year 283, answered with a local-mean-time offset.)
        errors["started_at"] = [_("The encounter cannot start before the patient's birth date.")]
    if surgery_grade is not None and surgery_grade not in (1, 2, 3, 4):
        errors["surgery_grade"] = [_("Surgery grades run from 1 to 4.")]
    diagnosis_rows = list(diagnoses)
    bad_codes = [d.code for d in diagnosis_rows if not icd10.is_valid(d.code)]
    if bad_codes:
        errors["diagnoses"] = [_("Not an ICD-10 code: %(codes)s") % {"codes": ", ".join(bad_codes)}]
    if errors:
        raise ValidationError(errors)
    encounter = Encounter.objects.create(
        hospital_id=patient.hospital_id,
        patient=patient,
        kind=kind,
        department=department,
        ward=ward,
        attending_doctor=attending_doctor,
        primary_nurse=primary_nurse,
        started_at=started_at,
        ended_at=ended_at,
        surgery_grade=surgery_grade,
        critical=critical,
        source_key=source_key,
    )
    Diagnosis.objects.bulk_create(diagnosis_from_input(encounter, d) for d in diagnosis_rows)
    # The patient–department link follows from the save (``hooks.encounter_saved``).
    audit_record(
        actor=actor,
        action="encounter.create",
        obj=encounter,
        summary=f"{encounter.get_kind_display()} {department.name}",
    )
    return encounter


@transaction.atomic
def encounter_discharge(*, encounter: Encounter, ended_at: dt.datetime, actor: Actor | None) -> Encounter:
    """Record the end of a stay (discharge). Refuses a naive time, a time before admission or in the
    future; writes the audit row only when the time changes. Follow-up's discharge builds on it."""
    require_aware(ended_at, field="ended_at")
    if ended_at < encounter.started_at:
        raise ValidationError({"ended_at": [_("Discharge cannot be before admission.")]})
    if ended_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"ended_at": [_("The time is in the future.")]})
    if encounter.ended_at != ended_at:
        Encounter.objects.filter(pk=encounter.pk).update(ended_at=ended_at)
        encounter.ended_at = ended_at
        audit_record(
            actor=actor, action="encounter.discharge", obj=encounter, summary=f"{ended_at:%Y-%m-%d %H:%M}"
        )
    return encounter


def diagnosis_from_input(encounter: Encounter, row: DiagnosisInput) -> Diagnosis:
    code = icd10.normalise(row.code)
    chapter = icd10.chapter_of(code)
    return Diagnosis(
        encounter=encounter,
        code=code,
        name=row.name,
        category=icd10.category(code),
        chapter=chapter.number if chapter else 0,
        is_primary=row.is_primary,
    )


@transaction.atomic
def encounter_transfer(
    *, encounter: Encounter, department: Department, ward: Ward | None, actor: Actor
) -> Encounter:
    """Move a stay to another department or ward (a transfer, HL7 ADT^A02); audit row with both places."""
    if not actor.has_perm("patients.change_encounter"):
        raise PermissionDenied(_("You are not allowed to change encounters."))
    if department.hospital_id != encounter.hospital_id:
        raise ValidationError({"department": [_("The department belongs to another hospital.")]})
    if ward is not None and ward.department_id != department.pk:
        raise ValidationError({"ward": [_("The ward does not belong to the department.")]})
    if encounter.kind == EncounterKind.INPATIENT and ward is None:
        raise ValidationError({"ward": [_("An inpatient stay needs a ward.")]})
    if not scope_for(actor).allows_department(department.pk, department.hospital_id):
        raise PermissionDenied(_("You may not record encounters for this department."))
    before = [str(encounter.department), str(encounter.ward or "")]
    if (encounter.department_id, encounter.ward_id) != (department.pk, ward.pk if ward else None):
        Encounter.objects.filter(pk=encounter.pk).update(department=department, ward=ward)
        encounter.department, encounter.ward = department, ward
        # The update bypasses the save hook: the stay now makes the new department know the patient, and
        # the old one only if another encounter of theirs is there.
        patient_departments_sync(patient_ids=[encounter.patient_id])
        audit_record(
            actor=actor,
            action="encounter.transfer",
            obj=encounter,
            summary=f"{before[0]} {before[1]} → {department.name} {ward.name if ward else ''}".strip(),
            changes={
                "department": [before[0], department.name],
                "ward": [before[1], ward.name if ward else ""],
            },
        )
    return encounter
