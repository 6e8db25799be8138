"""Factories of the follow-up tests: times in the hospital's zone, inpatient stays recorded as the registry
records them (with their diagnoses and their care plan), and their discharge through the service. The
fixtures of ``conftest.py`` (``stay``, ``discharge``) hand these the test's wards and doctors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from carebridge.followup.models import CarePlan
from carebridge.followup.services.discharge import stay_discharge
from carebridge.followup.services.plans import care_plan_open
from carebridge.patients.models import Diagnosis, Encounter
from carebridge.patients.services.encounters import DiagnosisInput, diagnosis_from_input
from carebridge.patients.tests.factories import PatientFactory, PhoneFactory

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=SH)


def inpatient_stay(
    *,
    hospital: Any,
    ward: Any,
    doctor: Any,
    codes: Iterable[str] = ("J18.9",),
    started_at: dt.datetime | None = None,
    phones: int = 1,
    consent: bool = True,
    **fields: Any,
) -> CarePlan:
    """An inpatient stay of a new patient on ``ward`` with its diagnoses (the first is primary), and the
    care plan the stay opens."""
    patient = PatientFactory(hospital=hospital, contact_consent=consent)
    for _ in range(phones):
        PhoneFactory(patient=patient)
    encounter = Encounter.objects.create(
        hospital=hospital,
        patient=patient,
        kind="inpatient",
        department=ward.department,
        ward=ward,
        attending_doctor=doctor,
        started_at=started_at or at(2026, 3, 2, 9),
        **fields,
    )
    Diagnosis.objects.bulk_create(
        diagnosis_from_input(encounter, DiagnosisInput(code=code, name=code, is_primary=i == 0))
        for i, code in enumerate(codes)
    )
    return care_plan_open(encounter=encounter)


def discharged(
    plan: CarePlan, when: dt.datetime | None = None, flags: Iterable[str] = (), actor: Any = None
) -> CarePlan:
    """The plan after its stay's discharge (by default on 9 March 2026 at 15:00, Shanghai)."""
    return stay_discharge(
        encounter=plan.encounter, ended_at=when or at(2026, 3, 9, 15), actor=actor, medication_flags=flags
    )
