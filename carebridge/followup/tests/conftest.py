"""Fixtures of the follow-up tests: wards with their staff, stays recorded through the registry's service,
and discharge helpers. Times are Asia/Shanghai; messages are asserted in English (the source language)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from carebridge.core.tests.factories import StaffFactory, WardFactory
from carebridge.followup.services import care_plan_open, stay_discharge
from carebridge.patients.models import Diagnosis, Encounter
from carebridge.patients.services.encounters import DiagnosisInput, diagnosis_from_input
from carebridge.patients.tests.factories import PatientFactory, PhoneFactory

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=SH)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def _english_and_outbox(settings, tmp_path):
    sms = {**settings.CAREBRIDGE["SMS"], "BACKEND": "file", "FILE_DIR": str(tmp_path / "outbox")}
    settings.CAREBRIDGE = {**settings.CAREBRIDGE, "SMS": sms, "TELEPHONY_WEBHOOK_SECRET": "test-secret"}
    with translation.override("en"):
        yield


@pytest.fixture
def wards(hospital, paediatrics, cardiology):
    return SimpleNamespace(
        pedi=WardFactory(department=paediatrics, code="PW1", name="儿科一病区"),
        card=WardFactory(department=cardiology, code="CW1", name="心内一病区"),
    )


@pytest.fixture
def doctors(hospital, paediatrics, cardiology, clinician_zhou):
    zhou = clinician_zhou.staff
    zhou.kind, zhou.home_department = "doctor", cardiology
    zhou.save()
    return SimpleNamespace(
        pedi=StaffFactory(hospital=hospital, name="李医生", home_department=paediatrics),
        card=zhou,
    )


@pytest.fixture
def stay(hospital, wards, doctors):
    """``stay(department="pedi"|"card", codes=[...], **fields)``: an inpatient stay with its plan."""

    def make(department="pedi", codes=("J18.9",), *, started_at=None, phones=1, consent=True, **fields):
        patient = PatientFactory(hospital=hospital, contact_consent=consent)
        for _ in range(phones):
            PhoneFactory(patient=patient)
        ward = getattr(wards, department)
        encounter = Encounter.objects.create(
            hospital=hospital,
            patient=patient,
            kind="inpatient",
            department=ward.department,
            ward=ward,
            attending_doctor=getattr(doctors, department),
            started_at=started_at or at(2026, 3, 2, 9),
            **fields,
        )
        Diagnosis.objects.bulk_create(
            diagnosis_from_input(encounter, DiagnosisInput(code=code, name=code, is_primary=i == 0))
            for i, code in enumerate(codes)
        )
        return care_plan_open(encounter=encounter)

    return make


@pytest.fixture
def discharge():
    def make(plan, when=None, flags=(), actor=None):
        return stay_discharge(
            encounter=plan.encounter, ended_at=when or at(2026, 3, 9, 15), actor=actor, medication_flags=flags
        )

    return make
