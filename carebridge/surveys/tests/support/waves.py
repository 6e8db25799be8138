"""Helpers of the wave, invitation and SMS tests: discharges, waves, and an outbox in a temporary folder."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from carebridge.core.tests.factories import WardFactory
from carebridge.patients.models import Encounter, Patient
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory
from carebridge.surveys.services.waves import WaveInput, wave_create
from carebridge.surveys.tests.factories import published_version

SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2025) -> dt.datetime:
    """A moment in the hospital's zone (Asia/Shanghai)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def discharge(
    department: Any,
    discharged_at: dt.datetime,
    *,
    patient: Patient | None = None,
    phone: str | None = "auto",
    ward: Any = None,
    **patient_fields: Any,
) -> Encounter:
    """An inpatient stay of five days ending at ``discharged_at`` (a new patient with a mobile by default)."""
    if patient is None:
        patient = PatientFactory(hospital=department.hospital, **patient_fields)
        if phone == "auto":
            PhoneFactory(patient=patient)
        elif phone:
            PhoneFactory(patient=patient, number=phone, tail=phone[-4:])
    return EncounterFactory(
        patient=patient,
        department=department,
        ward=ward or WardFactory(department=department),
        kind="inpatient",
        started_at=discharged_at - dt.timedelta(days=5),
        ended_at=discharged_at,
    )


def make_wave(hospital: Any, actor: Any, **fields: Any) -> Any:
    """A draft wave of the March 2025 discharges, all departments, census, SMS (override anything)."""
    values: dict[str, Any] = {
        "name": "2025年3月出院患者满意度调查",
        "version": published_version(hospital=hospital),
        "population": "inpatients_discharged",
        "period_start": dt.date(2025, 3, 1),
        "period_end": dt.date(2025, 3, 31),
    }
    values.update(fields)
    return wave_create(hospital=hospital, actor=actor, data=WaveInput(**values))


def outbox(directory: Path) -> list[dict[str, Any]]:
    path = directory / "sms.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
