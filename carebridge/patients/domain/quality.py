"""The findings of the nightly data-quality check of the registry (it writes nothing; the service
:func:`carebridge.patients.services.quality.registry_quality_check` stores them).

It counts what would make the registry fail the desk and the follow-up team: records without a phone
or a region, malformed phone numbers, national IDs that fail the GB 11643 check, inpatient stays without
a diagnosis, stays open for more than 90 days, IDs on more than one record, and patients who have not
consented to be contacted. Counting is done in the database; only IDs are checked in Python, in chunks.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from carebridge.core.models import Hospital
from carebridge.core.validators import validate_national_id, validate_phone
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Diagnosis, Encounter, Patient, PatientPhone

_CHUNK = 5000


def _invalid_national_ids(patients: object) -> int:
    invalid = 0
    ids = (
        Patient.objects.filter(pk__in=patients).exclude(national_id="").values_list("national_id", flat=True)
    )
    for national_id in ids.iterator(chunk_size=_CHUNK):
        try:
            validate_national_id(national_id)
        except ValidationError:
            invalid += 1
    return invalid


def _invalid_phones(hospital: Hospital) -> int:
    invalid = 0
    numbers = PatientPhone.objects.filter(patient__hospital=hospital).values_list("number", flat=True)
    for number in numbers.iterator(chunk_size=_CHUNK):
        try:
            validate_phone(number)
        except ValidationError:
            invalid += 1
    return invalid


def checked_patients(hospital: Hospital) -> QuerySet[Patient]:
    """The records the check looks at: the hospital's patients that were not merged into another one."""
    return Patient.objects.filter(hospital=hospital, merged_into__isnull=True)


def registry_findings(hospital: Hospital) -> dict[str, int]:
    """Each problem of one hospital's registry and how many records have it."""
    patients = checked_patients(hospital)
    stays = Encounter.objects.filter(hospital=hospital, kind=EncounterKind.INPATIENT)
    long_ago = timezone.now() - dt.timedelta(days=90)
    return {
        "invalid_national_id": _invalid_national_ids(patients.values("pk")),
        "duplicate_national_id": patients.exclude(national_id="")
        .values("national_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count(),
        "no_phone": patients.exclude(Exists(PatientPhone.objects.filter(patient=OuterRef("pk")))).count(),
        "invalid_phone": _invalid_phones(hospital),
        "no_region": patients.filter(region__isnull=True).count(),
        "no_contact_consent": patients.filter(contact_consent=False).count(),
        "inpatient_without_diagnosis": stays.exclude(
            Exists(Diagnosis.objects.filter(encounter=OuterRef("pk")))
        ).count(),
        "open_stays_over_90_days": stays.filter(ended_at__isnull=True, started_at__lt=long_ago).count(),
    }
