"""The maintained patient–department link: every writer of encounters keeps it, and department scope reads
it (a ward manager sees the patients their departments know; checkup staff also the records nobody has
seen yet, until a department sees them)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.core.tests.factories import DepartmentFactory, make_persona
from carebridge.patients.models import Encounter, Patient, PatientDepartment
from carebridge.patients.selectors.patients import patient_list
from carebridge.patients.services.departments import patient_departments_rebuild, patient_departments_sync
from carebridge.patients.services.encounters import encounter_create, encounter_transfer
from carebridge.patients.services.merges import patient_merge, patient_unmerge
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory

pytestmark = pytest.mark.django_db


def _links() -> set[tuple[int, int]]:
    return set(PatientDepartment.objects.values_list("patient_id", "department_id"))


def _derived() -> set[tuple[int, int]]:
    return set(Encounter.objects.values_list("patient_id", "department_id").distinct())


def test_an_encounter_links_its_department_and_the_ward_manager_then_sees_the_patient(
    hospital, paediatrics, cardiology, admin_sun, ward_manager_wang
):
    patient = PatientFactory(hospital=hospital)
    assert not patient.seen_anywhere
    assert not patient_list(user=ward_manager_wang).filter(pk=patient.pk).exists()
    encounter_create(
        patient=patient,
        actor=admin_sun,
        kind="outpatient",
        department=paediatrics,
        started_at=timezone.now() - dt.timedelta(days=1),
    )
    assert _links() == {(patient.pk, paediatrics.pk)}
    patient.refresh_from_db()
    assert patient.seen_anywhere
    assert patient_list(user=ward_manager_wang).filter(pk=patient.pk).exists()
    # A second visit of the same department adds nothing; a visit elsewhere adds its department.
    EncounterFactory(patient=patient, department=paediatrics)
    EncounterFactory(patient=patient, department=cardiology)
    assert _links() == {(patient.pk, paediatrics.pk), (patient.pk, cardiology.pk)}


def test_checkup_staff_see_unseen_records_until_another_department_sees_them(hospital, cardiology):
    centre = DepartmentFactory(hospital=hospital, code="TJ", name="体检中心")
    staff = make_persona("tj", "checkup_staff", hospital, departments=[centre])
    patient = PatientFactory(hospital=hospital)
    assert patient_list(user=staff).filter(pk=patient.pk).exists()  # to record its first visit
    stale = Patient.objects.get(pk=patient.pk)  # loaded before the encounter
    EncounterFactory(patient=patient, department=cardiology)
    assert not patient_list(user=staff).filter(pk=patient.pk).exists()
    stale.address = "南京市"
    stale.save()  # a record loaded before the visit does not make the patient "unseen" again
    assert Patient.objects.get(pk=patient.pk).seen_anywhere
    assert not patient_list(user=staff).filter(pk=patient.pk).exists()


def test_a_changed_or_deleted_encounter_re_derives_the_links(hospital, paediatrics, cardiology):
    patient = PatientFactory(hospital=hospital)
    encounter = EncounterFactory(patient=patient, department=paediatrics)
    encounter.department = cardiology
    encounter.save()
    assert _links() == {(patient.pk, cardiology.pk)}
    encounter.delete()
    assert _links() == set() and not Patient.objects.get(pk=patient.pk).seen_anywhere


def test_a_transfer_moves_the_link_to_the_new_department(hospital, paediatrics, cardiology, admin_sun):
    patient = PatientFactory(hospital=hospital)
    stay = EncounterFactory(patient=patient, department=paediatrics, kind="outpatient")
    encounter_transfer(encounter=stay, department=cardiology, ward=None, actor=admin_sun)
    assert _links() == _derived() == {(patient.pk, cardiology.pk)}
    EncounterFactory(patient=patient, department=paediatrics, kind="outpatient")
    encounter_transfer(encounter=stay, department=paediatrics, ward=None, actor=admin_sun)
    assert _links() == _derived() == {(patient.pk, paediatrics.pk)}


def test_merge_and_unmerge_move_the_links_with_the_encounters(hospital, paediatrics, cardiology, admin_sun):
    survivor = PatientFactory(hospital=hospital)
    duplicate = PatientFactory(hospital=hospital, national_id="")
    EncounterFactory(patient=survivor, department=cardiology)
    EncounterFactory(patient=duplicate, department=paediatrics)
    merge = patient_merge(survivor=survivor, duplicate=duplicate, actor=admin_sun, reason="同一人")
    assert _links() == {(survivor.pk, cardiology.pk), (survivor.pk, paediatrics.pk)}
    assert not Patient.objects.get(pk=duplicate.pk).seen_anywhere
    patient_unmerge(merge=merge, actor=admin_sun, reason="两人")
    assert _links() == {(survivor.pk, cardiology.pk), (duplicate.pk, paediatrics.pk)}
    assert Patient.objects.get(pk=duplicate.pk).seen_anywhere


def test_bulk_writers_sync_and_the_rebuild_agrees(hospital, paediatrics, cardiology):
    patients = [PatientFactory(hospital=hospital) for _ in range(3)]
    started = timezone.now() - dt.timedelta(days=3)
    Encounter.objects.bulk_create(  # a bulk writer bypasses the save hook ...
        Encounter(hospital=hospital, patient=p, department=d, kind="outpatient", started_at=started)
        for p, d in ((patients[0], paediatrics), (patients[1], cardiology), (patients[1], paediatrics))
    )
    assert _links() == set()
    patient_departments_sync(patient_ids=[p.pk for p in patients])  # ... and syncs what it wrote
    assert _links() == _derived()
    assert list(Patient.objects.filter(seen_anywhere=True).order_by("pk")) == patients[:2]
    PatientDepartment.objects.all().delete()
    assert patient_departments_rebuild() == 3 and _links() == _derived()
    assert list(Patient.objects.filter(seen_anywhere=True).order_by("pk")) == patients[:2]
