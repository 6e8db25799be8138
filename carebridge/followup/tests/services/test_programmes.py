"""Chronic-disease programmes (篇5 relationship marketing): a patient with an enrolled diagnosis gets recall
calls in the ordinary call queue long after the tiers' 30-day window; leaving the programme stops them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from carebridge.followup.choices import EnrolmentStatus, StandaloneReason, TouchpointStatus
from carebridge.followup.models import EnrolmentTransition, ProgrammeEnrolment, Touchpoint
from carebridge.followup.selectors.calls import call_queue
from carebridge.followup.services.programmes import (
    programme_create,
    programme_enrol,
    programme_enrol_eligible,
    programme_leave,
)
from carebridge.followup.tests.factories import at
from carebridge.patients.tests.factories import (
    DiagnosisFactory,
    EncounterFactory,
    PatientFactory,
    PhoneFactory,
)

pytestmark = pytest.mark.django_db

SCHEDULE = [
    {"day": 45, "kind": "call", "title": "哮喘控制情况回访"},
    {"day": 90, "kind": "recheck", "title": "肺功能复查提醒"},
    {"day": 180, "kind": "education", "title": "哮喘家长课堂邀请"},
]
ENROLLED = at(2026, 3, 2, 10)


@pytest.fixture
def asthma(hospital, paediatrics):
    return programme_create(
        hospital=hospital,
        code="peds-asthma",
        name="儿童哮喘管理项目",
        icd10_prefixes=["J45"],
        schedule=SCHEDULE,
        department=paediatrics,
        max_age=14,
        actor=None,
    )


def _patient(hospital, department, code, birth=dt.date(2018, 5, 1), name="小明"):
    patient = PatientFactory(hospital=hospital, name=name, birth_date=birth)
    PhoneFactory(patient=patient, number="13912345678")
    DiagnosisFactory(
        encounter=EncounterFactory(patient=patient, department=department),
        code=code,
        category=code[:3],
        chapter=10,
        name="哮喘",
    )
    return patient


@pytest.fixture
def child(hospital, paediatrics):
    return _patient(hospital, paediatrics, "J45.901")


def test_an_enrolled_child_gets_recall_calls_in_the_queue_beyond_30_days(asthma, child, agent_ann):
    with time_machine.travel(ENROLLED, tick=False):
        enrolment = programme_enrol(programme=asthma, patient=child, actor=agent_ann)
    assert enrolment.status == EnrolmentStatus.ACTIVE and enrolment.diagnosis_code == "J45.901"
    calls = list(Touchpoint.objects.filter(reason=StandaloneReason.CHRONIC_RECALL).order_by("due_at"))
    assert [c.due_at - ENROLLED for c in calls] == [dt.timedelta(days=d) for d in (45, 90, 180)]
    assert all(c.patient == child and c.status == TouchpointStatus.SCHEDULED for c in calls)
    # Nothing in the queue in the tiers' 30-day window; the day-45 call from day 45, the day-90 one on day 90.
    assert list(call_queue(user=agent_ann, now=ENROLLED + dt.timedelta(days=30))) == []
    assert list(call_queue(user=agent_ann, now=ENROLLED + dt.timedelta(days=46))) == [calls[0]]
    day_91 = list(call_queue(user=agent_ann, now=ENROLLED + dt.timedelta(days=91)))
    assert calls[1] in day_91 and calls[2] not in day_91
    assert calls[1].title == "儿童哮喘管理项目：肺功能复查提醒"


def test_leaving_the_programme_cancels_every_open_recall(asthma, child, agent_ann):
    with time_machine.travel(ENROLLED, tick=False):
        enrolment = programme_enrol(programme=asthma, patient=child, actor=agent_ann)
    later = ENROLLED + dt.timedelta(days=60)
    with time_machine.travel(later, tick=False):
        programme_leave(enrolment=enrolment, reason="家长要求退出", actor=agent_ann)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.LEFT and enrolment.leave_reason == "家长要求退出"
    assert set(
        Touchpoint.objects.filter(reason=StandaloneReason.CHRONIC_RECALL).values_list("status", flat=True)
    ) == {TouchpointStatus.CANCELLED}
    assert list(call_queue(user=agent_ann, now=ENROLLED + dt.timedelta(days=200))) == []
    rows = list(
        EnrolmentTransition.objects.filter(enrolment=enrolment).values_list("from_status", "to_status")
    )
    assert rows == [("", "active"), ("active", "left")]


def test_rejoining_schedules_only_the_steps_after_the_new_date(asthma, child, agent_ann):
    with time_machine.travel(ENROLLED, tick=False):
        enrolment = programme_enrol(programme=asthma, patient=child, actor=agent_ann)
    with time_machine.travel(ENROLLED + dt.timedelta(days=10), tick=False):
        programme_leave(enrolment=enrolment, reason="搬家", actor=agent_ann)
    back = ENROLLED + dt.timedelta(days=20)
    with time_machine.travel(back, tick=False):
        again = programme_enrol(programme=asthma, patient=child, actor=agent_ann)
    assert again.pk == enrolment.pk and again.status == EnrolmentStatus.ACTIVE
    open_calls = Touchpoint.objects.filter(
        reason=StandaloneReason.CHRONIC_RECALL, status=TouchpointStatus.SCHEDULED
    ).order_by("due_at")
    assert [c.due_at - back for c in open_calls] == [dt.timedelta(days=d) for d in (45, 90, 180)]


def test_a_patient_without_the_diagnosis_or_over_the_age_limit_is_refused(asthma, hospital, paediatrics):
    hypertensive = _patient(hospital, paediatrics, "I10", name="老王")
    adult = _patient(hospital, paediatrics, "J45.0", birth=dt.date(1980, 1, 1), name="大李")
    for patient in (hypertensive, adult):
        with pytest.raises(ValidationError) as error:
            programme_enrol(programme=asthma, patient=patient, actor=None)
        assert "patient" in error.value.message_dict
    assert not ProgrammeEnrolment.objects.exists() and not Touchpoint.objects.exists()


def test_enrolling_every_eligible_patient_takes_matching_children_once(asthma, hospital, paediatrics, child):
    _patient(hospital, paediatrics, "I10", name="老王")
    _patient(hospital, paediatrics, "J45.0", birth=dt.date(1980, 1, 1), name="大李")
    assert programme_enrol_eligible(programme=asthma, actor=None) == 1
    assert programme_enrol_eligible(programme=asthma, actor=None) == 0
    assert list(ProgrammeEnrolment.objects.values_list("patient", flat=True)) == [child.pk]


def test_a_schedule_inside_the_30_day_window_is_refused(hospital):
    with pytest.raises(ValidationError) as error:
        programme_create(
            hospital=hospital,
            code="x",
            name="x",
            icd10_prefixes=["I10"],
            schedule=[{"day": 7, "kind": "call", "title": "太早"}],
            actor=None,
        )
    assert "schedule" in error.value.message_dict
