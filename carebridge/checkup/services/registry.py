"""The checkup centre's only doorway into the patient registry's writes.

Customers are registry patients (DESIGN §5.1): a roster row finds its person by national ID or registers
them, check-in opens the registry's encounter of kind "checkup" (so the person is known to the centre's
department), and every page that shows a person logs the access. The registry is being restructured, so
each call to it is made here and nowhere else in this app.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from carebridge.core.models import Department, Hospital
from carebridge.core.types import Actor
from carebridge.patients.choices import AccessChannel, EncounterKind
from carebridge.patients.models import Encounter, Patient
from carebridge.patients.services.access import patient_access_record
from carebridge.patients.services.encounters import DiagnosisInput, encounter_create
from carebridge.patients.services.patients import PhoneInput, patient_create

MRN_PREFIX = "TJ"
CHECKUP_ICD10, CHECKUP_ICD10_NAME = "Z00.0", "健康查体"


def next_checkup_mrn(hospital: Hospital) -> str:
    """A medical record number for a customer registered by the centre (``TJ`` and an 8-digit serial)."""
    last = (
        Patient.objects.filter(hospital=hospital, mrn__regex=rf"^{MRN_PREFIX}[0-9]{{8}}$")
        .order_by("-mrn")
        .values_list("mrn", flat=True)
        .first()
    )
    serial = int(last[len(MRN_PREFIX) :]) + 1 if last else 1
    return f"{MRN_PREFIX}{serial:08d}"


def customer_find_or_register(
    *,
    hospital: Hospital,
    actor: Actor,
    name: str,
    sex: str,
    birth_date: dt.date | None,
    national_id: str = "",
    phone: str = "",
    source_key: str | None = None,
) -> tuple[Patient, bool]:
    """The registry's patient with this national ID (or this import row), else a new one; ``(patient,
    created)``. Without an ID a new record is made: matching on a name alone would merge strangers."""
    if national_id:
        existing = (
            Patient.objects.filter(hospital=hospital, national_id=national_id, merged_into__isnull=True)
            .order_by("id")
            .first()
        )
        if existing is not None:
            return existing, False
    if source_key:
        existing = Patient.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing, False
    values: dict[str, Any] = {
        "mrn": next_checkup_mrn(hospital),
        "name": name,
        "sex": sex or "U",
        "birth_date": birth_date,
        "national_id": national_id,
    }
    phones = [PhoneInput(number=phone, is_primary=True)] if phone else []
    patient = patient_create(
        hospital=hospital, actor=actor, values=values, phones=phones, source_key=source_key
    )
    return patient, True


def checkup_encounter_open(
    *, patient: Patient, department: Department, actor: Actor, started_at: dt.datetime, source_key: str
) -> Encounter:
    """The registry's encounter of the visit (idempotent by ``source_key``), coded Z00.0 (general
    medical examination) as the registry codes checkups."""
    return encounter_create(
        patient=patient,
        actor=actor,
        kind=EncounterKind.CHECKUP,
        department=department,
        started_at=started_at,
        diagnoses=[DiagnosisInput(code=CHECKUP_ICD10, name=CHECKUP_ICD10_NAME, is_primary=True)],
        source_key=source_key,
    )


def customer_access_log(*, patient: Patient, user: Actor, ip_address: str | None, api: bool = False) -> None:
    """One row of the registry's access log for a page or API answer that shows this person (PIPL)."""
    patient_access_record(
        patient=patient,
        user=user,
        channel=AccessChannel.API if api else AccessChannel.WEB,
        ip_address=ip_address,
    )
