"""The nightly data-quality check counts what would fail the desk; the Celery task runs it per hospital."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings

from carebridge.celery import app
from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import HospitalFactory, WardFactory
from carebridge.patients.models import DataQualityReport, Patient
from carebridge.patients.services.quality import registry_quality_check
from carebridge.patients.tasks import registry_quality_check as registry_quality_task
from carebridge.patients.tests.factories import (
    DiagnosisFactory,
    EncounterFactory,
    PatientFactory,
    PhoneFactory,
    valid_national_id,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 1, 2, 30, tzinfo=SHANGHAI)


@pytest.fixture
def messy_registry(hospital, cardiology):
    """One clean patient and one of each problem the check looks for."""
    clean = PatientFactory(hospital=hospital, mrn="OK1")
    PhoneFactory(patient=clean, number="13800000001")
    stay = EncounterFactory(
        patient=clean,
        department=cardiology,
        kind="inpatient",
        ward=WardFactory(department=cardiology),
        started_at=NOW - dt.timedelta(days=20),
        ended_at=NOW - dt.timedelta(days=15),
    )
    DiagnosisFactory(encounter=stay)

    no_phone = PatientFactory(hospital=hospital, mrn="NOPHONE")

    # A legacy import wrote this row directly, bypassing the service: the check digit is wrong.
    good = valid_national_id(dt.date(1960, 2, 29), sequence=5)
    legacy = Patient.objects.create(
        hospital=hospital,
        mrn="LEGACY",
        name="旧档案",
        national_id=good[:-1] + ("0" if good[-1] != "0" else "1"),
        region_id="320106",
        contact_consent=True,
    )
    PhoneFactory(patient=legacy, number="13800000002")

    undiagnosed = PatientFactory(hospital=hospital, mrn="NODIAG")
    PhoneFactory(patient=undiagnosed, number="13800000003")
    EncounterFactory(
        patient=undiagnosed,
        department=cardiology,
        kind="inpatient",
        ward=WardFactory(department=cardiology),
        started_at=NOW - dt.timedelta(days=120),
    )

    bad_phone = PatientFactory(hospital=hospital, mrn="BADPHONE", region_id=None, contact_consent=False)
    PhoneFactory(patient=bad_phone, number="12345")
    return {
        "clean": clean,
        "no_phone": no_phone,
        "legacy": legacy,
        "undiagnosed": undiagnosed,
        "bad_phone": bad_phone,
    }


def test_the_check_counts_each_problem(hospital, messy_registry):
    with time_machine.travel(NOW, tick=False):
        report = registry_quality_check(hospital=hospital, broker="test")
    assert report.patients == 5
    assert report.findings == {
        "invalid_national_id": 1,
        "duplicate_national_id": 0,
        "no_phone": 1,
        "invalid_phone": 1,
        "no_region": 1,
        "no_contact_consent": 1,
        "inpatient_without_diagnosis": 1,
        "open_stays_over_90_days": 1,
    }
    assert report.broker == "test"
    assert AuditEvent.objects.filter(action="registry.quality_check", object_id=str(report.pk)).count() == 1


def test_an_open_stay_is_not_long_before_90_days(hospital, messy_registry):
    with time_machine.travel(NOW - dt.timedelta(days=31), tick=False):
        report = registry_quality_check(hospital=hospital)
    assert report.findings["open_stays_over_90_days"] == 0


def test_the_check_counts_national_ids_on_several_records(hospital):
    shared = valid_national_id(dt.date(1980, 5, 17), sequence=901)
    PatientFactory.create_batch(2, hospital=hospital, national_id=shared)
    report = registry_quality_check(hospital=hospital)
    assert report.findings["duplicate_national_id"] == 1
    assert report.findings["invalid_national_id"] == 0


def test_merged_records_are_not_counted(hospital, messy_registry):
    messy_registry["no_phone"].merged_into = messy_registry["clean"]
    messy_registry["no_phone"].save()
    report = registry_quality_check(hospital=hospital)
    assert report.patients == 4
    assert report.findings["no_phone"] == 0


def test_the_check_looks_at_one_hospital_only(hospital, messy_registry):
    other = HospitalFactory()
    PatientFactory(hospital=other)  # no phone
    report = registry_quality_check(hospital=other)
    assert report.patients == 1
    assert report.findings["no_phone"] == 1
    assert report.findings["invalid_national_id"] == 0
    assert report.findings["inpatient_without_diagnosis"] == 0


@pytest.fixture
def eager_celery():
    before = app.conf.get("task_always_eager")
    app.conf.update(task_always_eager=True)
    yield
    app.conf.update(task_always_eager=before)


def test_the_celery_task_run_eagerly_creates_a_report_per_hospital(hospital, messy_registry, eager_celery):
    other = HospitalFactory()
    PatientFactory(hospital=other)

    result = registry_quality_task.delay()

    report_ids = result.get()
    reports = DataQualityReport.objects.filter(pk__in=report_ids)
    assert sorted(reports.values_list("hospital_id", flat=True)) == sorted([hospital.pk, other.pk])
    mine = reports.get(hospital=hospital)
    assert mine.findings["invalid_national_id"] == 1
    assert mine.broker == ("redis" if django_settings.REDIS_URL else "filesystem")


def test_the_celery_task_can_check_one_hospital(hospital, messy_registry, eager_celery):
    HospitalFactory()
    registry_quality_task.delay(hospital.pk).get()
    assert list(DataQualityReport.objects.values_list("hospital_id", flat=True)) == [hospital.pk]


def test_the_task_is_on_the_nightly_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["registry-quality-check"]
    assert entry["task"] == registry_quality_task.name == "carebridge.patients.tasks.registry_quality_check"


def test_the_home_page_shows_the_latest_report_of_the_users_hospital(
    client, hospital, messy_registry, agent_ann
):
    older = registry_quality_check(hospital=hospital)
    registry_quality_check(hospital=HospitalFactory())
    client.force_login(agent_ann)
    response = client.get("/patients/overview/")
    assert response.status_code == 200
    assert response.context["quality_report"].hospital_id == hospital.pk
    assert response.context["quality_report"].pk == older.pk
