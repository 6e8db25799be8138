"""Writes to the customer registry. Each service is one transaction with its audit row.

Identifiers never leave a service unmasked except through :func:`patient_reveal`, which checks the
permission, requires a reason and logs the access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from carebridge.core.masking import mask_national_id, mask_phone
from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.core.scope import scope_for
from carebridge.core.services.audit import audit_record
from carebridge.core.validators import (
    national_id_birth_date,
    national_id_sex,
    normalise_national_id,
    normalise_phone,
    require_aware,
    validate_national_id,
    validate_phone,
    validate_region_code,
)
from carebridge.patients import icd10
from carebridge.patients.choices import AccessAction, AccessChannel, EncounterKind, PhoneKind, RevealField
from carebridge.patients.models import (
    Diagnosis,
    Encounter,
    Patient,
    PatientAccessLog,
    PatientMerge,
    PatientPhone,
    Tag,
)

# Fields a patient service may set, and how each is shown in the change history.
PATIENT_FIELDS = (
    "mrn",
    "name",
    "sex",
    "birth_date",
    "national_id",
    "region_id",
    "address",
    "contact_consent",
    "survey_consent",
    "deceased_at",
)
_MASKED_FIELDS = {"national_id": mask_national_id}


@dataclass(frozen=True)
class PhoneInput:
    number: str
    kind: str = PhoneKind.MOBILE
    label: str = ""
    is_primary: bool = False


@dataclass(frozen=True)
class DiagnosisInput:
    code: str
    name: str
    is_primary: bool = False


def name_initials(name: str) -> str:
    """Pinyin initials of a Chinese name (张伟 → zw); Latin letters are kept as they are."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()[:16]


# --- patients --------------------------------------------------------------------------------------


def _clean_patient_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and normalise patient fields; raise ValidationError with every field's problem at once."""
    errors: dict[str, list[str]] = {}
    cleaned = dict(values)
    if cleaned.get("national_id"):
        cleaned["national_id"] = normalise_national_id(cleaned["national_id"])
        try:
            validate_national_id(cleaned["national_id"])
        except ValidationError as exc:
            errors.setdefault("national_id", []).extend(exc.messages)
    if cleaned.get("region_id"):
        try:
            validate_region_code(cleaned["region_id"])
        except ValidationError as exc:
            errors.setdefault("region", []).extend(exc.messages)
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            errors.setdefault("name", []).append(_("A name is required."))
    if "mrn" in cleaned:
        cleaned["mrn"] = (cleaned["mrn"] or "").strip()
        if not cleaned["mrn"]:
            errors.setdefault("mrn", []).append(_("A medical record number is required."))
    birth_date = cleaned.get("birth_date")
    if birth_date and birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("The birth date is in the future."))
    national_id = cleaned.get("national_id")
    if national_id and "national_id" not in errors:
        id_birth = national_id_birth_date(national_id)
        if birth_date and birth_date != id_birth:
            errors.setdefault("birth_date", []).append(
                _("The birth date does not match the national ID (%(date)s).")
                % {"date": id_birth.isoformat()}
            )
        sex = cleaned.get("sex")
        if sex in {"M", "F"} and sex != national_id_sex(national_id):
            errors.setdefault("sex", []).append(_("The sex does not match the national ID."))
    if errors:
        raise ValidationError(errors)
    if national_id:
        if not cleaned.get("birth_date"):  # absent or left empty (a form sends None): the ID says it
            cleaned["birth_date"] = national_id_birth_date(national_id)
        if cleaned.get("sex") in (None, "", "U"):
            cleaned["sex"] = national_id_sex(national_id)
    return cleaned


def _clean_phones(phones: Iterable[PhoneInput]) -> list[PhoneInput]:
    cleaned: list[PhoneInput] = []
    problems: list[str] = []
    for phone in phones:
        number = normalise_phone(phone.number)
        try:
            validate_phone(number)
        except ValidationError as exc:
            problems.append(f"{mask_phone(number)}: {exc.messages[0]}")
            continue
        cleaned.append(
            PhoneInput(number=number, kind=phone.kind, label=phone.label, is_primary=phone.is_primary)
        )
    if problems:
        raise ValidationError({"phones": problems})
    if cleaned and not any(p.is_primary for p in cleaned):
        first = cleaned[0]
        cleaned[0] = PhoneInput(number=first.number, kind=first.kind, label=first.label, is_primary=True)
    return cleaned


def _consent_times(patient: Patient, values: Mapping[str, Any], *, new: bool = False) -> None:
    """Stamp consents given now and clear withdrawn ones; ``new``: the record had no consent before."""
    now = timezone.now()
    for consent in ("contact_consent", "survey_consent"):
        if consent in values:
            given = bool(values[consent])
            if given and (new or not getattr(patient, consent)):
                setattr(patient, f"{consent}_at", now)
            elif not given:
                setattr(patient, f"{consent}_at", None)


def _history_value(field: str, value: Any) -> Any:
    if field in _MASKED_FIELDS:
        return _MASKED_FIELDS[field](value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@transaction.atomic
def patient_create(
    *,
    hospital: Hospital,
    actor: Any,
    values: Mapping[str, Any],
    phones: Iterable[PhoneInput] = (),
    tags: Iterable[str] = (),
    source_key: str | None = None,
) -> Patient:
    """Register a patient. A re-delivered ``source_key`` (an import's row key) returns the existing row."""
    if source_key:
        existing = Patient.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    cleaned = _clean_patient_values({field: values.get(field) for field in PATIENT_FIELDS if field in values})
    phone_inputs = _clean_phones(phones)
    if Patient.objects.filter(hospital=hospital, mrn=cleaned["mrn"]).exists():
        raise ValidationError(
            {"mrn": [_("Another patient of this hospital has this medical record number.")]}
        )
    patient = Patient(
        hospital=hospital, source_key=source_key, **{k: v for k, v in cleaned.items() if v is not None}
    )
    patient.name_initials = name_initials(patient.name)
    _consent_times(patient, cleaned, new=True)
    patient.save()
    PatientPhone.objects.bulk_create(
        PatientPhone(
            patient=patient,
            number=p.number,
            tail=p.number[-4:],
            kind=p.kind,
            label=p.label,
            is_primary=p.is_primary,
        )
        for p in phone_inputs
    )
    _set_tags(patient, tags)
    audit_record(
        actor=actor,
        action="patient.create",
        obj=patient,
        summary=_("Registered"),
        changes={f: [None, _history_value(f, v)] for f, v in cleaned.items() if v not in (None, "")},
    )
    return patient


def _set_tags(patient: Patient, names: Iterable[str]) -> list[str]:
    wanted = sorted({name.strip() for name in names if name.strip()})
    objects = [Tag.objects.get_or_create(name=name)[0] for name in wanted]
    patient.tags.set(objects)
    return wanted


@transaction.atomic
def patient_update(
    *,
    patient: Patient,
    actor: Any,
    values: Mapping[str, Any],
    phones: Iterable[PhoneInput] | None = None,
    tags: Iterable[str] | None = None,
) -> Patient:
    """Change a patient's data; the history row holds each changed field (identifiers masked)."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.is_merged:
        raise ValidationError(_("This record was merged into another one and can no longer be changed."))
    wanted = {field: values[field] for field in PATIENT_FIELDS if field in values}
    merged_view = {field: getattr(patient, field) for field in PATIENT_FIELDS} | wanted
    cleaned = _clean_patient_values(merged_view)
    changes: dict[str, list[Any]] = {}
    for field in PATIENT_FIELDS:
        old, new = getattr(patient, field), cleaned.get(field)
        if new is None and field in {"national_id", "address"}:
            new = ""
        if old != new:
            changes[field] = [_history_value(field, old), _history_value(field, new)]
    if (
        "mrn" in changes
        and Patient.objects.filter(hospital_id=patient.hospital_id, mrn=cleaned["mrn"])
        .exclude(pk=patient.pk)
        .exists()
    ):
        raise ValidationError(
            {"mrn": [_("Another patient of this hospital has this medical record number.")]}
        )
    _consent_times(patient, {f: cleaned[f] for f in ("contact_consent", "survey_consent") if f in changes})
    for field in changes:
        value = cleaned.get(field)
        setattr(patient, field, "" if value is None and field in {"national_id", "address"} else value)
    patient.name_initials = name_initials(patient.name)
    if phones is not None:
        phone_inputs = _clean_phones(phones)
        old_numbers = sorted(mask_phone(p.number) for p in patient.phones.all())
        new_numbers = sorted(mask_phone(p.number) for p in phone_inputs)
        if old_numbers != new_numbers or any(p.is_primary for p in phone_inputs):
            patient.phones.all().delete()
            PatientPhone.objects.bulk_create(
                PatientPhone(
                    patient=patient,
                    number=p.number,
                    tail=p.number[-4:],
                    kind=p.kind,
                    label=p.label,
                    is_primary=p.is_primary,
                )
                for p in phone_inputs
            )
            if old_numbers != new_numbers:
                changes["phones"] = [old_numbers, new_numbers]
    if tags is not None:
        old_tags = sorted(patient.tags.values_list("name", flat=True))
        new_tags = _set_tags(patient, tags)
        if old_tags != new_tags:
            changes["tags"] = [old_tags, new_tags]
    patient.save()
    if changes:
        audit_record(
            actor=actor, action="patient.update", obj=patient, summary=_("Record changed"), changes=changes
        )
    return patient


# --- access log and reveal -------------------------------------------------------------------------


def patient_access_record(
    *,
    patient: Patient,
    user: Any,
    action: str = AccessAction.VIEW,
    channel: str = AccessChannel.WEB,
    ip_address: str | None = None,
    reason: str = "",
    fields: str = "",
) -> PatientAccessLog:
    """Log one access to a patient record (PIPL). Views call it for every record they show."""
    return PatientAccessLog.objects.create(
        user=user,
        patient=patient,
        action=action,
        channel=channel,
        ip_address=ip_address,
        reason=reason[:255],
        fields=fields,
    )


@dataclass(frozen=True)
class RevealedIdentifiers:
    national_id: str | None
    phones: list[str] | None


@transaction.atomic
def patient_reveal(
    *,
    patient: Patient,
    actor: Any,
    reason: str,
    fields: Iterable[str] = (RevealField.NATIONAL_ID,),
    channel: str = AccessChannel.WEB,
    ip_address: str | None = None,
) -> RevealedIdentifiers:
    """Show a patient's full identifiers once: needs the permission and a reason, and is logged."""
    if not actor.has_perm("patients.reveal_identifiers"):
        raise PermissionDenied(_("You are not allowed to reveal national IDs or phone numbers."))
    scope = scope_for(actor)
    if not scope.is_unrestricted and not _patient_in_scope(patient, actor):
        raise PermissionDenied(_("This patient is outside your data scope."))
    reason = reason.strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("Say why you need to see the full identifiers.")]})
    wanted = sorted(set(fields))
    unknown = [f for f in wanted if f not in RevealField.values]
    if unknown or not wanted:
        raise ValidationError({"fields": [_("Choose the national ID and/or the phone numbers.")]})
    patient_access_record(
        patient=patient,
        user=actor,
        action=AccessAction.REVEAL,
        channel=channel,
        ip_address=ip_address,
        reason=reason,
        fields=",".join(wanted),
    )
    return RevealedIdentifiers(
        national_id=patient.national_id if RevealField.NATIONAL_ID in wanted else None,
        phones=[p.number for p in patient.phones.all()] if RevealField.PHONES in wanted else None,
    )


def _patient_in_scope(patient: Patient, user: Any) -> bool:
    from carebridge.patients.selectors import patient_list

    return patient_list(user=user).filter(pk=patient.pk).exists()


# --- encounters ------------------------------------------------------------------------------------


@transaction.atomic
def encounter_create(
    *,
    patient: Patient,
    actor: Any,
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
    audit_record(
        actor=actor,
        action="encounter.create",
        obj=encounter,
        summary=f"{encounter.get_kind_display()} {department.name}",
    )
    return encounter


@transaction.atomic
def encounter_discharge(*, encounter: Encounter, ended_at: dt.datetime, actor: Any) -> Encounter:
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


# --- duplicates: merge and unmerge -----------------------------------------------------------------

# Fields the survivor takes from the duplicate when its own are empty.
_FILLABLE = ("national_id", "birth_date", "region_id", "address")


def _check_mergeable(survivor: Patient, duplicate: Patient) -> None:
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged into itself."))
    if survivor.hospital_id != duplicate.hospital_id:
        raise ValidationError(_("Records of different hospitals cannot be merged."))
    if survivor.is_merged or duplicate.is_merged:
        raise ValidationError(_("One of these records has already been merged."))
    if survivor.national_id and duplicate.national_id and survivor.national_id != duplicate.national_id:
        raise ValidationError(_("The two records carry different national IDs: they are different people."))


@transaction.atomic
def patient_merge(*, survivor: Patient, duplicate: Patient, actor: Any, reason: str) -> PatientMerge:
    """Move the duplicate's encounters, phones, tags and related customers onto the survivor, and retire it.

    Everything that moves is recorded in the merge row, so :func:`patient_unmerge` can put it back.
    """
    if not actor.has_perm("patients.merge_patient"):
        raise PermissionDenied(_("You are not allowed to merge patient records."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why these records are the same person.")]})
    if not (_patient_in_scope(survivor, actor) and _patient_in_scope(duplicate, actor)):
        raise PermissionDenied(_("This patient is outside your data scope."))
    locked = {p.pk: p for p in Patient.objects.select_for_update().filter(pk__in=[survivor.pk, duplicate.pk])}
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    _check_mergeable(survivor, duplicate)

    encounter_ids = list(duplicate.encounters.values_list("id", flat=True))
    duplicate.encounters.update(patient=survivor)
    survivor_numbers = set(survivor.phones.values_list("number", flat=True))
    moving_phones = duplicate.phones.exclude(number__in=survivor_numbers)
    phone_ids = list(moving_phones.values_list("id", flat=True))
    primary_phone_ids = list(moving_phones.filter(is_primary=True).values_list("id", flat=True))
    PatientPhone.objects.filter(pk__in=phone_ids).update(patient=survivor, is_primary=False)
    added_tags = list(duplicate.tags.exclude(pk__in=survivor.tags.all()).values_list("id", flat=True))
    survivor.tags.add(*added_tags)
    customer_ids = list(duplicate.related_customers.values_list("id", flat=True))
    duplicate.related_customers.update(patient=survivor)
    filled: list[str] = []
    for field in _FILLABLE:
        if not getattr(survivor, field) and getattr(duplicate, field):
            filled.append(field)
            setattr(survivor, field, getattr(duplicate, field))
    survivor.save()
    duplicate.merged_into = survivor
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge = PatientMerge.objects.create(
        survivor=survivor,
        duplicate=duplicate,
        merged_by=actor,
        reason=reason.strip(),
        moved={
            "encounters": encounter_ids,
            "phones": phone_ids,
            "primary_phones": primary_phone_ids,
            "tags": added_tags,
            "customers": customer_ids,
            "filled_fields": filled,
        },
    )
    for record, summary in (
        (survivor, _("Merged with %(mrn)s") % {"mrn": duplicate.mrn}),
        (duplicate, _("Merged into %(mrn)s") % {"mrn": survivor.mrn}),
    ):
        audit_record(
            actor=actor,
            action="patient.merge",
            obj=record,
            summary=summary,
            changes={"merge": merge.pk, "reason": reason.strip()},
        )
        patient_access_record(patient=record, user=actor, action=AccessAction.MERGE, reason=reason)
    return merge


@transaction.atomic
def patient_unmerge(*, merge: PatientMerge, actor: Any, reason: str) -> Patient:
    """Undo a merge: the duplicate gets back what it brought; returns the restored record."""
    if not actor.has_perm("patients.merge_patient"):
        raise PermissionDenied(_("You are not allowed to merge patient records."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the merge was wrong.")]})
    merge = PatientMerge.objects.select_for_update().get(pk=merge.pk)
    if not _patient_in_scope(merge.survivor, actor):
        raise PermissionDenied(_("This patient is outside your data scope."))
    if merge.unmerged_at is not None:
        raise ValidationError(_("This merge has already been undone."))
    survivor = Patient.objects.select_for_update().get(pk=merge.survivor_id)
    duplicate = Patient.objects.select_for_update().get(pk=merge.duplicate_id)
    moved = merge.moved
    Encounter.objects.filter(pk__in=moved.get("encounters", []), patient=survivor).update(patient=duplicate)
    PatientPhone.objects.filter(pk__in=moved.get("phones", []), patient=survivor).update(patient=duplicate)
    # The survivor's primary number stayed primary, so the duplicate's own lost the flag when it moved.
    PatientPhone.objects.filter(pk__in=moved.get("primary_phones", []), patient=duplicate).update(
        is_primary=True
    )
    survivor.tags.remove(*moved.get("tags", []))
    survivor.related_customers.filter(pk__in=moved.get("customers", [])).update(patient=duplicate)
    for field in moved.get("filled_fields", []):  # they were empty on the survivor before the merge
        setattr(survivor, field, "" if field in {"national_id", "address"} else None)
    survivor.save()
    duplicate.merged_into = None
    duplicate.save(update_fields=["merged_into", "updated_at"])
    merge.unmerged_by, merge.unmerged_at, merge.unmerge_reason = actor, timezone.now(), reason.strip()
    merge.save(update_fields=["unmerged_by", "unmerged_at", "unmerge_reason"])
    for record in (survivor, duplicate):
        audit_record(
            actor=actor,
            action="patient.unmerge",
            obj=record,
            summary=_("Merge undone"),
            changes={"merge": merge.pk, "reason": reason.strip()},
        )
        patient_access_record(patient=record, user=actor, action=AccessAction.MERGE, reason=reason)
    return duplicate
