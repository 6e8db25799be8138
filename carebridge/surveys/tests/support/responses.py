"""Helpers of the answering, recovery, import and export tests: an open wave and its invitations.

Plain functions rather than fixtures so each test module states the fixtures it uses.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory
from carebridge.surveys.choices import Channel, InvitationStatus, PopulationKind, WaveStatus
from carebridge.surveys.models import Invitation, Wave
from carebridge.surveys.tests.factories import published_version

# Answers to the small definition that open no recovery case (q2 is reverse-keyed: 1 = "strongly disagree").
GOOD = {"q1": 5, "q2": 1, "q3": 4, "nps": 9}


def open_wave(
    *,
    hospital: Any,
    owner: Any,
    anonymous: bool = False,
    name: str = "2026年11月出院患者调查",
    code: str | None = None,
    **fields: Any,
) -> Wave:
    """An open wave of the small instrument (published under ``code``), owned by ``owner``."""
    version = published_version(hospital=hospital, code=code)
    return Wave.objects.create(
        hospital=hospital,
        name=name,
        version=version,
        status=WaveStatus.OPEN,
        population=PopulationKind.INPATIENTS_DISCHARGED,
        anonymous=anonymous,
        channels=["sms", "phone"],
        owner=owner,
        **fields,
    )


def invite(
    wave: Wave,
    *,
    department: Any = None,
    patient: Any = None,
    encounter: Any = None,
    channel: str = Channel.SMS,
    status: str = InvitationStatus.SENT,
    expires_in: dt.timedelta = dt.timedelta(days=14),
    now: dt.datetime | None = None,
) -> Invitation:
    """An invitation of the wave (a patient with a discharged stay in ``department`` unless given)."""
    now = now or timezone.now()
    if patient is None and department is not None:
        patient = PatientFactory(hospital=wave.hospital)
        PhoneFactory(patient=patient)
        encounter = EncounterFactory(
            patient=patient,
            department=department,
            kind="inpatient",
            started_at=now - dt.timedelta(days=10),
            ended_at=now - dt.timedelta(days=3),
        )
    return Invitation.objects.create(
        wave=wave,
        token=secrets.token_urlsafe(32),
        status=status,
        channel=channel,
        patient=patient,
        encounter=encounter,
        department=department,
        send_after=now - dt.timedelta(days=1),
        sent_at=now - dt.timedelta(hours=20),
        expires_at=now + expires_in,
    )
