"""Registry services: validation that changes nothing on bad input, masked history, logged reveals,
encounters within the actor's scope, and merges that can be undone exactly."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.core.masking import mask_national_id
from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, WardFactory, make_persona
from carebridge.patients.choices import AccessAction, AccessChannel
from carebridge.patients.models import (
    Diagnosis,
    Encounter,
    Patient,
    PatientAccessLog,
    PatientMerge,
    PatientPhone,
    Tag,
)
from carebridge.patients.services.access import patient_reveal
from carebridge.patients.services.encounters import DiagnosisInput, encounter_create
from carebridge.patients.services.merges import patient_merge, patient_unmerge
from carebridge.patients.services.patients import PhoneInput, patient_create, patient_update
from carebridge.patients.tests.factories import (
    EncounterFactory,
    PatientFactory,
    PhoneFactory,
    valid_national_id,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
BIRTH = dt.date(1975, 8, 9)
MALE_ID = valid_national_id(BIRTH, sequence=135)  # 17th digit 5: male
OTHER_MALE_ID = valid_national_id(BIRTH, sequence=357)


def _values(**overrides):
    values = {
        "mrn": "M0001",
        "name": "张伟",
        "national_id": MALE_ID,
        "region_id": "320106",
        "address": "鼓楼区中山路1号",
        "contact_consent": True,
        "survey_consent": False,
    }
    values.update(overrides)
    return values


def _create(hospital, actor, **overrides):
    phones = overrides.pop("phones", [PhoneInput(number="13812345678")])
    return patient_create(
        hospital=hospital,
        actor=actor,
        values=_values(**overrides),
        phones=phones,
        tags=overrides.pop("tags", ["慢病"]),
    )


def _nothing_written():
    return (
        not Patient.objects.exists()
        and not PatientPhone.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="patient.").exists()
    )


def _field_errors(caught) -> dict[str, list[str]]:
    return caught.value.message_dict


# --- patient_create ---------------------------------------------------------------------------------


def test_patient_create_registers_a_valid_patient(hospital, agent_ann):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI), tick=False):
        patient = _create(hospital, agent_ann, national_id=MALE_ID.lower())
    patient.refresh_from_db()
    assert patient.national_id == MALE_ID
    assert patient.birth_date == BIRTH  # derived from the ID
    assert patient.sex == "M"  # derived from the ID
    assert patient.name_initials == "zw"
    assert patient.hospital == hospital
    assert [(p.number, p.tail, p.is_primary) for p in patient.phones.all()] == [("13812345678", "5678", True)]
    assert list(patient.tags.values_list("name", flat=True)) == ["慢病"]
    assert patient.contact_consent_at == dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
    assert patient.survey_consent_at is None
    event = AuditEvent.objects.get(action="patient.create")
    assert event.actor == agent_ann
    assert event.object_id == str(patient.pk)
    assert event.changes["national_id"] == [None, mask_national_id(MALE_ID)]
    assert MALE_ID not in json.dumps(event.changes)


def test_patient_create_normalises_phone_numbers(hospital, agent_ann):
    patient = _create(
        hospital,
        agent_ann,
        phones=[PhoneInput(number="+86 139 0000 1111"), PhoneInput(number="025-83001234", kind="home")],
    )
    assert list(patient.phones.values_list("number", "tail")) == [
        ("13900001111", "1111"),
        ("025-83001234", "1234"),
    ]


@pytest.mark.parametrize(
    "national_id",
    [
        MALE_ID[:-1] + ("0" if MALE_ID[-1] != "0" else "1"),  # check digit
        "3201061975023012X",
        "32010619750809",
    ],
)
def test_patient_create_rejects_an_invalid_national_id_and_writes_nothing(hospital, agent_ann, national_id):
    with pytest.raises(ValidationError) as caught:
        _create(hospital, agent_ann, national_id=national_id)
    assert "national_id" in _field_errors(caught)
    assert _nothing_written()


def test_patient_create_rejects_an_unknown_region_and_writes_nothing(hospital, agent_ann):
    with pytest.raises(ValidationError) as caught:
        _create(hospital, agent_ann, region_id="329999")
    assert "region" in _field_errors(caught)
    assert _nothing_written()


def test_patient_create_rejects_a_birth_date_that_contradicts_the_id(hospital, agent_ann):
    with pytest.raises(ValidationError) as caught:
        _create(hospital, agent_ann, birth_date=dt.date(1975, 8, 10))
    assert "1975-08-09" in " ".join(_field_errors(caught)["birth_date"])
    assert _nothing_written()


def test_patient_create_rejects_a_sex_that_contradicts_the_id(hospital, agent_ann):
    with pytest.raises(ValidationError) as caught:
        _create(hospital, agent_ann, sex="F")
    assert "sex" in _field_errors(caught)
    assert _nothing_written()


def test_patient_create_reports_every_problem_at_once(hospital, agent_ann):
    with pytest.raises(ValidationError) as caught:
        _create(hospital, agent_ann, national_id="123", region_id="999999", name="  ", mrn="")
    assert {"national_id", "region", "name", "mrn"} <= set(_field_errors(caught))


def test_patient_create_rejects_a_future_birth_date(hospital, agent_ann):
    with (
        time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI), tick=False),
        pytest.raises(ValidationError) as caught,
    ):
        _create(hospital, agent_ann, national_id="", birth_date=dt.date(2026, 3, 3))
    assert "birth_date" in _field_errors(caught)


def test_patient_create_rejects_a_bad_phone_and_writes_nothing(hospital, agent_ann):
    with pytest.raises(ValidationError) as caught:
        _create(hospital, agent_ann, phones=[PhoneInput(number="12345")])
    assert "phones" in _field_errors(caught)
    assert _nothing_written()


def test_patient_create_rejects_a_duplicate_mrn_in_the_same_hospital(hospital, agent_ann):
    _create(hospital, agent_ann)
    with pytest.raises(ValidationError) as caught:
        _create(hospital, agent_ann, national_id=OTHER_MALE_ID)
    assert "mrn" in _field_errors(caught)
    assert Patient.objects.count() == 1
    assert AuditEvent.objects.filter(action="patient.create").count() == 1


def test_the_same_mrn_is_allowed_in_another_hospital(hospital, agent_ann):
    _create(hospital, agent_ann)
    _create(HospitalFactory(), agent_ann)
    assert Patient.objects.filter(mrn="M0001").count() == 2


def test_a_redelivered_source_key_returns_the_same_row_and_creates_nothing(hospital, agent_ann):
    first = patient_create(hospital=hospital, actor=agent_ann, values=_values(), source_key="HIS:ADT:0001")
    again = patient_create(
        hospital=hospital, actor=agent_ann, values=_values(name="张伟伟"), source_key="HIS:ADT:0001"
    )
    assert again.pk == first.pk
    assert Patient.objects.count() == 1
    assert AuditEvent.objects.filter(action="patient.create").count() == 1
    assert Patient.objects.get().name == "张伟"


# --- patient_update ---------------------------------------------------------------------------------


def test_patient_update_records_the_national_id_masked_never_whole(hospital, agent_ann):
    patient = _create(hospital, agent_ann)
    patient_update(
        patient=patient, actor=agent_ann, values={"national_id": OTHER_MALE_ID, "address": "新地址"}
    )
    event = AuditEvent.objects.get(action="patient.update")
    assert event.changes["national_id"] == [mask_national_id(MALE_ID), mask_national_id(OTHER_MALE_ID)]
    assert event.changes["address"] == ["鼓楼区中山路1号", "新地址"]
    every_change = json.dumps(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert MALE_ID not in every_change and OTHER_MALE_ID not in every_change
    patient.refresh_from_db()
    assert patient.national_id == OTHER_MALE_ID


def test_patient_update_records_phone_changes_masked(hospital, agent_ann):
    patient = _create(hospital, agent_ann)
    patient_update(patient=patient, actor=agent_ann, values={}, phones=[PhoneInput(number="13900001111")])
    event = AuditEvent.objects.get(action="patient.update")
    assert event.changes["phones"] == [["138****5678"], ["139****1111"]]
    assert list(patient.phones.values_list("number", flat=True)) == ["13900001111"]


def test_patient_update_without_a_change_writes_no_history(hospital, agent_ann):
    patient = _create(hospital, agent_ann)
    patient_update(patient=patient, actor=agent_ann, values={"name": "张伟", "address": "鼓楼区中山路1号"})
    assert not AuditEvent.objects.filter(action="patient.update").exists()


def test_patient_update_rejects_invalid_values_and_changes_nothing(hospital, agent_ann):
    patient = _create(hospital, agent_ann)
    with pytest.raises(ValidationError):
        patient_update(patient=patient, actor=agent_ann, values={"address": "新地址", "region_id": "999999"})
    patient.refresh_from_db()
    assert patient.address == "鼓楼区中山路1号"
    assert not AuditEvent.objects.filter(action="patient.update").exists()


def test_patient_update_rejects_the_mrn_of_another_patient(hospital, agent_ann):
    patient = _create(hospital, agent_ann)
    _create(hospital, agent_ann, mrn="M0002", national_id=OTHER_MALE_ID)
    with pytest.raises(ValidationError) as caught:
        patient_update(patient=patient, actor=agent_ann, values={"mrn": "M0002"})
    assert "mrn" in _field_errors(caught)


def test_consent_timestamps_are_set_when_given_and_cleared_when_withdrawn(hospital, agent_ann):
    patient = _create(hospital, agent_ann)
    given = dt.datetime(2026, 4, 1, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(given, tick=False):
        patient_update(patient=patient, actor=agent_ann, values={"survey_consent": True})
    patient.refresh_from_db()
    assert patient.survey_consent and patient.survey_consent_at == given

    with time_machine.travel(given + dt.timedelta(days=30), tick=False):
        patient_update(patient=patient, actor=agent_ann, values={"survey_consent": True, "address": "x路2号"})
    patient.refresh_from_db()
    assert patient.survey_consent_at == given  # confirming the consent does not move its date

    with time_machine.travel(given + dt.timedelta(days=60), tick=False):
        patient_update(patient=patient, actor=agent_ann, values={"survey_consent": False})
    patient.refresh_from_db()
    assert not patient.survey_consent and patient.survey_consent_at is None
    assert AuditEvent.objects.filter(action="patient.update", changes__survey_consent=[True, False]).exists()


def test_a_merged_record_can_no_longer_be_changed(hospital, admin_sun):
    survivor = PatientFactory(hospital=hospital)
    duplicate = PatientFactory(hospital=hospital, national_id="")
    patient_merge(survivor=survivor, duplicate=duplicate, actor=admin_sun, reason="同一人")
    with pytest.raises(ValidationError):
        patient_update(patient=duplicate, actor=admin_sun, values={"name": "改名"})


# --- patient_reveal ---------------------------------------------------------------------------------


@pytest.fixture
def patient(hospital):
    record = PatientFactory(hospital=hospital)
    PhoneFactory(patient=record, number="13812345678")
    return record


def test_reveal_without_the_permission_is_refused_and_logs_nothing(patient, quality_officer_qian):
    with pytest.raises(PermissionDenied):
        patient_reveal(
            patient=patient, actor=quality_officer_qian, reason="回访电话", fields=["national_id", "phones"]
        )
    assert not PatientAccessLog.objects.exists()


def test_reveal_with_the_permission_shows_the_full_values_and_logs_once(patient, agent_ann):
    revealed = patient_reveal(
        patient=patient,
        actor=agent_ann,
        reason="回访电话",
        fields=["national_id", "phones"],
        ip_address="10.1.2.3",
    )
    assert revealed.national_id == patient.national_id
    assert revealed.phones == ["13812345678"]
    entry = PatientAccessLog.objects.get()
    assert (entry.user, entry.patient, entry.action, entry.channel) == (
        agent_ann,
        patient,
        AccessAction.REVEAL,
        AccessChannel.WEB,
    )
    assert entry.reason == "回访电话"
    assert entry.fields == "national_id,phones"
    assert entry.ip_address == "10.1.2.3"


def test_reveal_shows_only_the_fields_asked_for(patient, agent_ann):
    revealed = patient_reveal(patient=patient, actor=agent_ann, reason="核对身份", fields=["phones"])
    assert revealed.national_id is None
    assert revealed.phones == ["13812345678"]


@pytest.mark.parametrize("reason", ["", "   ", "x"])
def test_reveal_needs_a_reason(patient, agent_ann, reason):
    with pytest.raises(ValidationError) as caught:
        patient_reveal(patient=patient, actor=agent_ann, reason=reason)
    assert "reason" in _field_errors(caught)
    assert not PatientAccessLog.objects.exists()


def test_reveal_refuses_unknown_fields(patient, agent_ann):
    with pytest.raises(ValidationError):
        patient_reveal(patient=patient, actor=agent_ann, reason="核对身份", fields=["address"])
    assert not PatientAccessLog.objects.exists()


def test_reveal_of_a_patient_outside_the_scope_is_refused(registry, ward_manager_wang):
    with pytest.raises(PermissionDenied):
        patient_reveal(patient=registry.card_only, actor=ward_manager_wang, reason="回访电话")
    assert not PatientAccessLog.objects.exists()
    patient_reveal(patient=registry.child, actor=ward_manager_wang, reason="回访电话")
    assert PatientAccessLog.objects.filter(patient=registry.child).count() == 1


# --- encounter_create -------------------------------------------------------------------------------

ADMITTED = dt.datetime(2026, 5, 4, 10, 0, tzinfo=SHANGHAI)


def _encounter(patient, actor, department, **overrides):
    arguments = {
        "kind": "inpatient",
        "started_at": ADMITTED,
        "ended_at": ADMITTED + dt.timedelta(days=5),
        "ward": WardFactory(department=department),
        "diagnoses": [
            DiagnosisInput(code="i21.0", name="急性前壁心肌梗死", is_primary=True),
            DiagnosisInput(code="E11.9", name="2型糖尿病"),
        ],
    }
    arguments.update(overrides)
    return encounter_create(patient=patient, actor=actor, department=department, **arguments)


def test_encounter_create_records_a_stay_and_derives_chapter_and_category(patient, admin_sun, cardiology):
    encounter = _encounter(patient, admin_sun, cardiology)
    assert encounter.hospital_id == patient.hospital_id
    rows = list(encounter.diagnoses.values_list("code", "category", "chapter", "is_primary"))
    assert rows == [("I21.0", "I21", 9, True), ("E11.9", "E11", 4, False)]
    assert AuditEvent.objects.filter(action="encounter.create", object_id=str(encounter.pk)).count() == 1


@pytest.mark.parametrize(
    ("code", "chapter"),
    [("D50.9", 3), ("D48.1", 2), ("H65.0", 8), ("H40.1", 7), ("T14.0", 19), ("Z00.0", 21)],
)
def test_diagnosis_chapters_follow_the_icd10_ranges(patient, admin_sun, cardiology, code, chapter):
    encounter = _encounter(patient, admin_sun, cardiology, diagnoses=[DiagnosisInput(code=code, name="x")])
    assert encounter.diagnoses.get().chapter == chapter


def test_encounter_create_refuses_a_ward_of_another_department(patient, admin_sun, cardiology, paediatrics):
    with pytest.raises(ValidationError) as caught:
        _encounter(patient, admin_sun, cardiology, ward=WardFactory(department=paediatrics))
    assert "ward" in _field_errors(caught)
    assert not Encounter.objects.exists()


def test_an_inpatient_stay_needs_a_ward(patient, admin_sun, cardiology):
    with pytest.raises(ValidationError) as caught:
        _encounter(patient, admin_sun, cardiology, ward=None)
    assert "ward" in _field_errors(caught)


def test_encounter_create_refuses_a_discharge_before_the_admission(patient, admin_sun, cardiology):
    with pytest.raises(ValidationError) as caught:
        _encounter(patient, admin_sun, cardiology, ended_at=ADMITTED - dt.timedelta(hours=1))
    assert "ended_at" in _field_errors(caught)
    assert not Encounter.objects.exists()


def test_encounter_create_refuses_a_start_before_the_patients_birth(patient, admin_sun, cardiology):
    patient.birth_date = dt.date(1990, 3, 1)
    patient.save(update_fields=["birth_date"])
    born = dt.datetime(1990, 3, 1, 8, 0, tzinfo=dt.UTC)
    for started in (born - dt.timedelta(days=1), dt.datetime(283, 2, 20, 9, 51, tzinfo=dt.UTC)):
        with pytest.raises(ValidationError) as caught:
            _encounter(patient, admin_sun, cardiology, started_at=started, ended_at=None)
        assert "started_at" in _field_errors(caught)
    assert not Encounter.objects.exists()
    _encounter(patient, admin_sun, cardiology, started_at=born, ended_at=None)  # born in hospital
    # Without a birth date, the earliest plausible one bounds it.
    patient.birth_date = None
    patient.save(update_fields=["birth_date"])
    with pytest.raises(ValidationError):
        _encounter(
            patient, admin_sun, cardiology, started_at=dt.datetime(1879, 12, 31, tzinfo=dt.UTC), ended_at=None
        )
    assert Encounter.objects.count() == 1


def test_encounter_create_refuses_naive_times(patient, admin_sun, cardiology):
    with pytest.raises(ValidationError) as caught:
        _encounter(patient, admin_sun, cardiology, started_at=dt.datetime(2026, 5, 4, 10, 0), ended_at=None)  # noqa: DTZ001
    assert "started_at" in _field_errors(caught)


def test_encounter_create_refuses_a_bad_icd10_code_and_writes_nothing(patient, admin_sun, cardiology):
    with pytest.raises(ValidationError) as caught:
        _encounter(
            patient,
            admin_sun,
            cardiology,
            diagnoses=[DiagnosisInput(code="I21.0", name="ok"), DiagnosisInput(code="XYZ", name="bad")],
        )
    assert "XYZ" in " ".join(_field_errors(caught)["diagnoses"])
    assert not Encounter.objects.exists() and not Diagnosis.objects.exists()


def test_encounter_create_refuses_an_unknown_kind_and_bad_surgery_grade(patient, admin_sun, cardiology):
    with pytest.raises(ValidationError) as caught:
        _encounter(patient, admin_sun, cardiology, kind="telepathy", surgery_grade=5)
    assert {"kind", "surgery_grade"} <= set(_field_errors(caught))


def test_encounter_create_refuses_a_department_outside_the_actors_scope(
    patient, hospital, cardiology, paediatrics
):
    checkup = make_persona("checkup", "checkup_staff", hospital, departments=[paediatrics])
    with pytest.raises(PermissionDenied):
        _encounter(patient, checkup, cardiology, kind="outpatient", ward=None)
    assert not Encounter.objects.exists()
    _encounter(patient, checkup, paediatrics, kind="outpatient", ward=None)
    assert Encounter.objects.count() == 1


def test_encounter_create_refuses_a_department_of_another_hospital(patient, admin_sun):
    elsewhere = DepartmentFactory(hospital=HospitalFactory())
    with pytest.raises((PermissionDenied, ValidationError)):
        _encounter(patient, admin_sun, elsewhere, kind="outpatient", ward=None)
    assert not Encounter.objects.exists()


def test_a_redelivered_encounter_source_key_creates_nothing(patient, admin_sun, cardiology):
    first = _encounter(patient, admin_sun, cardiology, source_key="HL7:MSH10:42")
    again = _encounter(patient, admin_sun, cardiology, source_key="HL7:MSH10:42")
    assert again.pk == first.pk
    assert Encounter.objects.count() == 1 and Diagnosis.objects.count() == 2


# --- merge and unmerge ------------------------------------------------------------------------------


@pytest.fixture
def pair(hospital, cardiology, paediatrics):
    """A survivor with an ID and a duplicate registered later without one, sharing a phone."""
    survivor = PatientFactory(hospital=hospital, mrn="S1", name="陈建国", address="")
    PhoneFactory(patient=survivor, number="13800000001", is_primary=True)
    survivor.tags.add(Tag.objects.create(name="医保"))
    own = EncounterFactory(patient=survivor, department=cardiology)

    duplicate = PatientFactory(
        hospital=hospital, mrn="D1", name="陈建国", national_id="", address="玄武区1号"
    )
    PhoneFactory(patient=duplicate, number="13800000002", is_primary=True)
    PhoneFactory(patient=duplicate, number="13800000001", is_primary=False)  # shared with the survivor
    duplicate.tags.add(Tag.objects.create(name="慢病"), Tag.objects.get(name="医保"))
    moved = [EncounterFactory(patient=duplicate, department=paediatrics) for _ in range(2)]
    return survivor, duplicate, own, moved


def _snapshot(patient):
    patient.refresh_from_db()
    return {
        "encounters": sorted(patient.encounters.values_list("id", flat=True)),
        "phones": sorted(patient.phones.values_list("number", "is_primary")),
        "tags": sorted(patient.tags.values_list("name", flat=True)),
        "fields": (patient.national_id, patient.address, patient.birth_date, patient.region_id),
        "merged_into": patient.merged_into_id,
    }


def test_merge_moves_encounters_phones_and_tags_and_retires_the_duplicate(pair, admin_sun):
    survivor, duplicate, own, moved = pair
    merge = patient_merge(survivor=survivor, duplicate=duplicate, actor=admin_sun, reason="同一人重复建档")

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert sorted(survivor.encounters.values_list("id", flat=True)) == sorted(
        [own.pk, *(e.pk for e in moved)]
    )
    assert not duplicate.encounters.exists()
    assert sorted(survivor.phones.values_list("number", flat=True)) == ["13800000001", "13800000002"]
    assert (
        survivor.phones.filter(is_primary=True).get().number == "13800000001"
    )  # the survivor's stays primary
    assert sorted(survivor.tags.values_list("name", flat=True)) == ["医保", "慢病"]
    assert survivor.address == "玄武区1号"  # its empty field filled from the duplicate
    assert merge.moved["filled_fields"] == ["address"]
    audits = AuditEvent.objects.filter(action="patient.merge")
    assert sorted(audits.values_list("object_id", flat=True)) == sorted([str(survivor.pk), str(duplicate.pk)])
    access = PatientAccessLog.objects.filter(action=AccessAction.MERGE, user=admin_sun)
    assert sorted(access.values_list("patient_id", flat=True)) == sorted([survivor.pk, duplicate.pk])


def test_unmerge_restores_exactly_what_moved(pair, admin_sun):
    survivor, duplicate, _own, _moved = pair
    before = {"survivor": _snapshot(survivor), "duplicate": _snapshot(duplicate)}
    merge = patient_merge(survivor=survivor, duplicate=duplicate, actor=admin_sun, reason="同一人重复建档")

    restored = patient_unmerge(merge=merge, actor=admin_sun, reason="核实为两人")

    assert restored.pk == duplicate.pk
    assert {"survivor": _snapshot(survivor), "duplicate": _snapshot(duplicate)} == before
    merge.refresh_from_db()
    assert merge.unmerged_by == admin_sun and merge.unmerged_at is not None
    assert AuditEvent.objects.filter(action="patient.unmerge").count() == 2
    with pytest.raises(ValidationError):
        patient_unmerge(merge=merge, actor=admin_sun, reason="再次")


def test_merge_refuses_records_with_different_national_ids(hospital, admin_sun):
    survivor = PatientFactory(hospital=hospital)
    duplicate = PatientFactory(hospital=hospital)
    EncounterFactory(patient=duplicate)
    with pytest.raises(ValidationError):
        patient_merge(survivor=survivor, duplicate=duplicate, actor=admin_sun, reason="同一人")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.encounters.count() == 1
    assert not PatientMerge.objects.exists()
    assert not PatientAccessLog.objects.exists()


def test_merge_refuses_a_record_into_itself_and_records_of_another_hospital(hospital, admin_sun):
    patient = PatientFactory(hospital=hospital)
    with pytest.raises(ValidationError):
        patient_merge(survivor=patient, duplicate=patient, actor=admin_sun, reason="x")
    other = PatientFactory(hospital=HospitalFactory(), national_id="")
    # Another hospital's record is outside the admin's scope: refused before any comparison.
    with pytest.raises(PermissionDenied):
        patient_merge(survivor=patient, duplicate=other, actor=admin_sun, reason="x")
    assert other.merged_into_id is None and not PatientMerge.objects.exists()


def test_merge_needs_a_reason(pair, admin_sun):
    survivor, duplicate, _own, _moved = pair
    with pytest.raises(ValidationError):
        patient_merge(survivor=survivor, duplicate=duplicate, actor=admin_sun, reason="  ")
    assert not PatientMerge.objects.exists()


def test_merge_and_unmerge_without_the_permission_are_refused(pair, agent_ann, admin_sun):
    survivor, duplicate, _own, _moved = pair
    with pytest.raises(PermissionDenied):
        patient_merge(survivor=survivor, duplicate=duplicate, actor=agent_ann, reason="同一人")
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None and duplicate.encounters.count() == 2
    merge = patient_merge(survivor=survivor, duplicate=duplicate, actor=admin_sun, reason="同一人")
    with pytest.raises(PermissionDenied):
        patient_unmerge(merge=merge, actor=agent_ann, reason="错了")
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
