"""Standalone follow-up calls (no care plan): scheduled by another app with a reason and a link to their
origin, they enter the ordinary call queue inside calling hours, go through the same redial and
escalation machinery, and record what the call learnt about the finding."""

from __future__ import annotations

from collections import defaultdict

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from carebridge.core.tests.factories import HospitalFactory
from carebridge.followup.choices import (
    EscalationStep,
    RecheckOutcome,
    StandaloneReason,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.models import CallAttempt, Touchpoint, TouchpointTransition
from carebridge.followup.selectors.calls import call_queue
from carebridge.followup.selectors.plans import touchpoint_list
from carebridge.followup.services import standalone
from carebridge.followup.services.calls import call_record
from carebridge.followup.services.standalone import (
    RecheckAnswer,
    recheck_listener_register,
    standalone_call_schedule,
    standalone_calls_for,
)
from carebridge.followup.tests.factories import at
from carebridge.followup.tests.support.clients import client_for
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(hospital):
    patient = PatientFactory(hospital=hospital, name="王芳")
    PhoneFactory(patient=patient, number="13912345678")
    return patient


@pytest.fixture
def origin(person, paediatrics):
    """Any saved record stands for the origin (a checkup visit, a critical result, …)."""
    return EncounterFactory(patient=person, department=paediatrics)


def _schedule(person, origin, **fields):
    values = {
        "patient": person,
        "reason": StandaloneReason.CHECKUP_ABNORMAL,
        "title": "体检异常随访：空腹血糖偏高",
        "origin": origin,
        "origin_label": "体检 2026-03-10",
    }
    return standalone_call_schedule(**{**values, **fields})


def test_a_call_scheduled_at_night_enters_the_agents_queue_at_the_next_calling_window(
    person, origin, agent_ann
):
    night = at(2026, 3, 10, 22)
    with time_machine.travel(night, tick=False):
        call = _schedule(person, origin, at=night)
    assert call.plan is None and call.is_standalone
    assert (call.kind, call.hospital, call.patient) == (
        TouchpointKind.STANDALONE_CALL,
        person.hospital,
        person,
    )
    assert call.origin == origin
    assert call.origin_type == ContentType.objects.get_for_model(origin)
    assert call.available_at == at(2026, 3, 11, 8, 30)  # calling hours start at 08:30 hospital time
    assert list(call_queue(user=agent_ann, now=night)) == []
    assert list(call_queue(user=agent_ann, now=at(2026, 3, 11, 9))) == [call]
    row = TouchpointTransition.objects.get(touchpoint=call)
    assert (row.from_status, row.to_status, row.to_step) == ("", "scheduled", "phone")
    assert list(standalone_calls_for(origin)) == [call]


def test_scheduling_twice_for_the_same_origin_and_reason_returns_the_open_call(person, origin):
    first = _schedule(person, origin)
    again = _schedule(person, origin, title="another title")
    other_reason = _schedule(person, origin, reason=StandaloneReason.CRITICAL_RECHECK)
    assert again == first
    assert other_reason != first
    assert Touchpoint.objects.filter(plan__isnull=True).count() == 2


def test_bad_input_is_refused_and_nothing_is_written(person, origin):
    stranger = PatientFactory(hospital=HospitalFactory(code="OTHER", name="别的医院"))
    with pytest.raises(ValidationError) as refused:
        _schedule(person, origin, reason="gossip", title=" ")
    assert set(refused.value.message_dict) == {"reason", "title"}
    with pytest.raises(ValidationError) as refused:
        _schedule(stranger, origin, hospital=person.hospital)
    assert "patient" in refused.value.message_dict
    assert not Touchpoint.objects.exists()


def test_no_answer_redials_inside_calling_hours_like_any_other_call(person, origin, agent_ann):
    with time_machine.travel(at(2026, 3, 10, 19), tick=False):
        call = _schedule(person, origin, at=at(2026, 3, 10, 19))
        call_record(touchpoint=call, actor=agent_ann, outcome="no_answer", at=at(2026, 3, 10, 19))
    call.refresh_from_db()
    assert call.status == TouchpointStatus.IN_PROGRESS
    assert call.available_at == at(2026, 3, 11, 8, 30)  # 21:00 is after calling hours: next morning


def test_a_reached_call_records_the_recheck_outcome_and_tells_the_origin_app(
    person, origin, agent_ann, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(standalone, "_LISTENERS", defaultdict(list))
    seen: list[tuple[int, str]] = []
    recheck_listener_register(
        StandaloneReason.CHECKUP_ABNORMAL, lambda tp: seen.append((tp.pk, tp.recheck_outcome))
    )
    call = _schedule(person, origin)
    answer = RecheckAnswer(outcome=RecheckOutcome.CONFIRMED, saw_doctor=True, finding="2型糖尿病，已服药")
    with django_capture_on_commit_callbacks(execute=True):
        call_record(touchpoint=call, actor=agent_ann, outcome="reached", recheck=answer)
    call.refresh_from_db()
    assert call.status == TouchpointStatus.DONE
    assert call.recheck_outcome == RecheckOutcome.CONFIRMED
    assert call.data["recheck"]["finding"] == "2型糖尿病，已服药"
    assert call.data["recheck"]["saw_doctor"] is True
    assert seen == [(call.pk, RecheckOutcome.CONFIRMED)]


@pytest.mark.parametrize(
    "case",
    [
        ("reached", RecheckAnswer(RecheckOutcome.CONFIRMED, saw_doctor=False, finding="x"), "saw_doctor"),
        ("reached", RecheckAnswer(RecheckOutcome.NOT_SEEN, saw_doctor=True), "saw_doctor"),
        ("reached", RecheckAnswer(RecheckOutcome.CONFIRMED, saw_doctor=True, finding=" "), "finding"),
        ("no_answer", RecheckAnswer(RecheckOutcome.NOT_SEEN, saw_doctor=False), "recheck_outcome"),
    ],
)
def test_a_recheck_outcome_that_does_not_fit_is_refused_and_no_attempt_is_stored(
    person, origin, agent_ann, case
):
    outcome, answer, field = case
    call = _schedule(person, origin)
    with pytest.raises(ValidationError) as refused:
        call_record(touchpoint=call, actor=agent_ann, outcome=outcome, recheck=answer)
    assert field in refused.value.message_dict
    assert not CallAttempt.objects.exists()
    call.refresh_from_db()
    assert (call.status, call.recheck_outcome) == (TouchpointStatus.SCHEDULED, "")


def test_a_patient_without_consent_is_never_phoned(person, origin, agent_ann):
    person.contact_consent = False
    person.save()
    call = _schedule(person, origin)
    assert call.status == TouchpointStatus.SKIPPED  # the default policy: skip, with the reason
    assert not call_queue(user=agent_ann).exists()


def test_a_patient_without_a_phone_goes_to_a_visit_or_letter(hospital, origin):
    nobody = PatientFactory(hospital=hospital)
    call = _schedule(nobody, origin)
    assert (call.status, call.step) == (TouchpointStatus.SCHEDULED, EscalationStep.VISIT_OR_LETTER)


def test_department_roles_see_a_standalone_call_only_of_their_departments(
    origin, ward_manager_wang, paediatrics, cardiology, agent_ann
):
    person = origin.patient
    ours = _schedule(person, origin, department=paediatrics)
    theirs = _schedule(person, origin, department=cardiology, reason=StandaloneReason.CRITICAL_RECHECK)
    assert list(touchpoint_list(user=ward_manager_wang)) == [ours]
    assert set(touchpoint_list(user=agent_ann)) == {ours, theirs}


def test_the_call_page_shows_the_reason_and_records_the_recheck(person, origin, agent_ann):
    call = _schedule(person, origin)
    client = client_for(agent_ann)
    page = client.get(reverse("followup:call", args=[call.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Abnormal checkup finding" in text and "体检 2026-03-10" in text
    assert "13912345678" not in text  # masked
    refused = client.post(
        reverse("followup:call_outcome", args=[call.pk]),
        {"channel": "phone", "outcome": "reached", "recheck_outcome": "confirmed", "saw_doctor": "no"},
    )
    assert refused.status_code == 400
    assert not CallAttempt.objects.exists()
    done = client.post(
        reverse("followup:call_outcome", args=[call.pk]),
        {"channel": "phone", "outcome": "reached", "recheck_outcome": "not_seen", "saw_doctor": "no"},
    )
    assert done.status_code == 302
    call.refresh_from_db()
    assert (call.status, call.recheck_outcome) == (TouchpointStatus.DONE, RecheckOutcome.NOT_SEEN)
