"""Writes to patient records: registration and change, each one transaction with its audit row (the change
history holds identifiers masked)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.masking import mask_national_id, mask_phone
from carebridge.core.models import Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.core.validators import (
    EARLIEST_BIRTH_YEAR,
    national_id_birth_date,
    national_id_sex,
    normalise_national_id,
    normalise_phone,
    validate_national_id,
    validate_phone,
    validate_region_code,
)
from carebridge.patients.choices import PhoneKind
from carebridge.patients.domain.names import name_initials
from carebridge.patients.models import Patient, PatientPhone, Tag

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


def _check_name_and_birth(cleaned: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Required, plausible name, MRN and birth date (a numeric name or a birth in year 1 is a typo)."""
    if "name" in cleaned:
        cleaned["name"] = (cleaned["name"] or "").strip()
        if not cleaned["name"]:
            errors.setdefault("name", []).append(_("A name is required."))
        elif not any(char.isalpha() for char in cleaned["name"]):
            errors.setdefault("name", []).append(_("A name has letters or characters, not only digits."))
    if "mrn" in cleaned:
        cleaned["mrn"] = (cleaned["mrn"] or "").strip()
        if not cleaned["mrn"]:
            errors.setdefault("mrn", []).append(_("A medical record number is required."))
    birth_date = cleaned.get("birth_date")
    if birth_date and birth_date > timezone.localdate():
        errors.setdefault("birth_date", []).append(_("The birth date is in the future."))
    elif birth_date and birth_date.year < EARLIEST_BIRTH_YEAR:
        errors.setdefault("birth_date", []).append(
            _("A birth date before %(year)d is not plausible.") % {"year": EARLIEST_BIRTH_YEAR}
        )


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
    _check_name_and_birth(cleaned, errors)
    birth_date = cleaned.get("birth_date")
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
    actor: Actor,
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
    actor: Actor | None,
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
