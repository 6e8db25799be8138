"""Fixtures of the registry tests: a small registry across two departments, API clients per persona."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from carebridge.core.tests.factories import WardFactory
from carebridge.patients.tests.factories import (
    DiagnosisFactory,
    EncounterFactory,
    PatientFactory,
    PhoneFactory,
    valid_national_id,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # DRF throttles count in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registry(hospital, cardiology, paediatrics):
    """Three patients: one seen only in cardiology, one only in paediatrics, one in both."""
    card_only = PatientFactory(hospital=hospital, mrn="C0000001", name="李心", name_initials="lx")
    PhoneFactory(patient=card_only, number="13911112222")
    visit = EncounterFactory(patient=card_only, department=cardiology, kind="outpatient")
    DiagnosisFactory(encounter=visit, code="I21.0", name="急性前壁心肌梗死", category="I21", chapter=9)

    child_birth = dt.date(2019, 3, 8)
    child = PatientFactory(
        hospital=hospital,
        mrn="P0000001",
        name="王小明",
        name_initials="wxm",
        sex="F",
        birth_date=child_birth,
        national_id=valid_national_id(child_birth, sequence=24),
    )
    PhoneFactory(patient=child, number="13733334444")
    ward = WardFactory(department=paediatrics, code="PEDI-1", name="儿科一病区")
    stay = EncounterFactory(patient=child, department=paediatrics, kind="inpatient", ward=ward)
    DiagnosisFactory(encounter=stay, code="J18.9", name="肺炎", category="J18", chapter=10)

    both = PatientFactory(hospital=hospital, mrn="B0000001", name="赵两科", name_initials="zlk")
    PhoneFactory(patient=both, number="15055556666")
    ped_visit = EncounterFactory(patient=both, department=paediatrics, kind="outpatient")
    DiagnosisFactory(encounter=ped_visit, code="J06.9", name="急性上呼吸道感染", category="J06", chapter=10)
    card_visit = EncounterFactory(patient=both, department=cardiology, kind="outpatient")
    DiagnosisFactory(encounter=card_visit, code="I42.0", name="扩张型心肌病", category="I42", chapter=9)
    return SimpleNamespace(
        card_only=card_only, child=child, both=both, ward=ward, ped_visit=ped_visit, card_visit=card_visit
    )
