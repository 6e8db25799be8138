"""Fixtures of the follow-up tests: wards with their staff, stays recorded through the registry's service,
and discharge helpers (built by ``factories``). Times are Asia/Shanghai; messages are asserted in English
(the source language)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from carebridge.core.tests.factories import StaffFactory, WardFactory
from carebridge.followup.tests.factories import discharged, inpatient_stay


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

    def make(department="pedi", codes=("J18.9",), **fields):
        return inpatient_stay(
            hospital=hospital,
            ward=getattr(wards, department),
            doctor=getattr(doctors, department),
            codes=codes,
            **fields,
        )

    return make


@pytest.fixture
def discharge():
    """``discharge(plan, when=None, flags=(), actor=None)``: the plan after its stay's discharge."""
    return discharged
