"""The patient–department link (``PatientDepartment``): which departments know a patient.

Derived from encounters and kept in step by every writer of encounters: :func:`encounter_create` adds
the link of the new encounter, a merge and its undo re-derive the links of both records, and the demo
loaders, which write encounters in bulk, re-derive the links of the patients they wrote. Each keeps the
patient's ``seen_anywhere`` flag with it. :func:`patient_departments_rebuild` re-derives everything
(the migration's back-fill, and a repair if a writer ever bypassed these services).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from carebridge.patients.models import Encounter, Patient, PatientDepartment

_CHUNK = 500


def patient_department_add(*, patient: Patient, department_id: int) -> None:
    """An encounter of this patient was recorded in this department (two statements, no read)."""
    PatientDepartment.objects.bulk_create(
        [PatientDepartment(patient_id=patient.pk, department_id=department_id)], ignore_conflicts=True
    )
    if not patient.seen_anywhere:
        Patient.objects.filter(pk=patient.pk).update(seen_anywhere=True)
        patient.seen_anywhere = True


@transaction.atomic
def patient_departments_sync(*, patient_ids: Iterable[int]) -> None:
    """Re-derive the links of these patients from their encounters (after encounters moved between
    records, or were written in bulk)."""
    ids = sorted(set(patient_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        wanted = set(
            Encounter.objects.filter(patient_id__in=chunk)
            .values_list("patient_id", "department_id")
            .distinct()
        )
        links = PatientDepartment.objects.filter(patient_id__in=chunk)
        have = {(p, d): pk for pk, p, d in links.values_list("pk", "patient_id", "department_id")}
        stale = [pk for pair, pk in have.items() if pair not in wanted]
        if stale:
            PatientDepartment.objects.filter(pk__in=stale).delete()
        PatientDepartment.objects.bulk_create(
            [PatientDepartment(patient_id=p, department_id=d) for p, d in sorted(wanted - set(have))],
            ignore_conflicts=True,
        )
        Patient.objects.filter(pk__in=chunk).update(
            seen_anywhere=Exists(PatientDepartment.objects.filter(patient_id=OuterRef("pk")))
        )


@transaction.atomic
def patient_departments_rebuild() -> int:
    """Re-derive every link in two set-based statements (any size of registry); returns the links."""
    link, encounter = PatientDepartment._meta.db_table, Encounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {link}")  # noqa: S608 - table names from the models
        cursor.execute(
            f"INSERT INTO {link} (patient_id, department_id)"  # noqa: S608
            f" SELECT DISTINCT patient_id, department_id FROM {encounter}"
        )
    Patient.objects.update(seen_anywhere=Exists(PatientDepartment.objects.filter(patient_id=OuterRef("pk"))))
    return PatientDepartment.objects.count()
