"""The demo day (``interop_demo_day``): besides admissions, discharges and the checkup centre's
results, the LIS reports the ward blood counts of patients still in their beds, one of them critical —
a visitor sees a ward critical-result notification arrive on the cardiology ward's queue."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.checkup.models import Result, Visit
from carebridge.core.tests.factories import StaffFactory
from carebridge.critical.models import Notification
from carebridge.critical.services.attempts import ladder_of
from carebridge.interop.demo.day import demo_day
from carebridge.interop.services.messages import hl7_receive
from carebridge.interop.tests.support.messages import segment
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(hospital, cardiology, wards):
    """Six former outpatients the HIS may admit, and a cardiology doctor."""
    for n in range(6):
        patient = PatientFactory(hospital=hospital, name=f"病人{n}", mrn=f"D{n:04d}")
        EncounterFactory(
            patient=patient,
            department=cardiology,
            started_at=dt.datetime(2024, 5, 1, 9, tzinfo=dt.UTC),
            ended_at=dt.datetime(2024, 5, 1, 11, tzinfo=dt.UTC),
        )
    return StaffFactory(hospital=hospital, name="李明", kind="doctor", home_department=cardiology)


@pytest.mark.usefixtures("catalogue", "his", "lis")
def test_the_day_brings_ward_results_and_one_ward_critical_notification(clock, hospital, registry, wards):
    answers = {}
    for raw in demo_day(hospital=hospital, admissions=4, results=0):
        ack = hl7_receive(raw=raw)
        answers[raw.split(b"|", 10)[9].decode()] = segment(ack, "MSA")[1]

    ward_reports = {key: code for key, code in answers.items() if "W" in key[-4:]}
    assert len(ward_reports) == 2 and set(ward_reports.values()) == {"AA"}
    holders = Visit.all_kinds.filter(kind="clinical")
    assert holders.count() == 2 and not Visit.objects.exists()
    assert Result.objects.filter(visit__in=holders).count() == 6
    notification = Notification.objects.get()
    assert notification.rule_set.code == "WARD" and notification.department.code == "CARD"
    assert notification.visit.encounter.ward == wards.card
    assert notification.visit.encounter.attending_doctor == registry
    assert ladder_of(notification) == ["doctor", "ward_nurse", "dept_head"]
