"""Closing the clinical loop: a read-back schedules the recheck call in the follow-up queue; the outcome an
agent records there (confirmed / not confirmed) becomes the notification's recheck."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.checkup.tests.support.people import record
from carebridge.critical.models import Notification
from carebridge.critical.services.attempts import attempt_record
from carebridge.followup.services.calls import call_record
from carebridge.followup.services.standalone import RecheckAnswer, standalone_calls_for

pytestmark = pytest.mark.django_db


def test_a_read_back_schedules_the_recheck_call_and_its_outcome_comes_back(
    visit, staff_chen, agent_ann, clock, django_capture_on_commit_callbacks
):
    record(visit, "HGB", "70", staff_chen)
    notification = Notification.objects.get()
    attempt_record(
        notification=notification,
        actor=staff_chen,
        step="person",
        outcome="read_back",
        number="13912345678",
        answered_by="本人",
        read_back="血红蛋白70",
        advice="就近复查",
    )
    call = standalone_calls_for(notification).get()
    assert call.reason == "critical_recheck" and call.patient == visit.patient
    assert call.due_at - notification.read_back_at == dt.timedelta(days=7)
    clock.shift(dt.timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):
        call_record(
            touchpoint=call,
            actor=agent_ann,
            outcome="reached",
            recheck=RecheckAnswer(outcome="confirmed", saw_doctor=True, finding="缺铁性贫血"),
        )
    notification.refresh_from_db()
    assert notification.recheck.outcome == "confirmed" and notification.recheck.diagnosis == "缺铁性贫血"


def test_checkups_aftercare_call_leaves_out_the_critical_results(visit, staff_chen):
    from carebridge.checkup.services.aftercare import _excluded, aftercare_findings

    critical = record(visit, "HGB", "75", staff_chen)
    other = record(visit, "CREA", "110", staff_chen)  # above the man's range, below the rule's 133
    excluded = _excluded(visit)
    assert excluded == frozenset({critical.pk})
    assert [need.result_id for need in aftercare_findings(visit, critical_result_ids=excluded)] == [other.pk]
