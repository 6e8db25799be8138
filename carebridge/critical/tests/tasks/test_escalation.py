"""Time limits: a class-A notification with no attempt past its target escalates to the supervisor once,
however often the beat task runs; a read-back target escalates separately; a notification reached in time
escalates nothing; the chief examiner cannot sign a visit whose class-A result nobody has tried yet."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.checkup.services.review import signoff_problems
from carebridge.checkup.tests.support.people import record
from carebridge.core.models import OutboxMessage
from carebridge.critical.models import Escalation, Notification
from carebridge.critical.services.attempts import attempt_record
from carebridge.critical.tasks import notifications_escalate

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(examiner_he):
    examiner_he.staff.phone = "13800000001"
    examiner_he.staff.save()
    return examiner_he


def test_a_class_a_notification_past_its_first_attempt_target_escalates_once(
    visit, staff_chen, supervisor, clock
):
    record(visit, "HGB", "70", staff_chen)
    clock.shift(dt.timedelta(minutes=14))
    assert notifications_escalate() == 0  # within the 15 minutes
    clock.shift(dt.timedelta(minutes=2))
    assert notifications_escalate() == 1
    assert notifications_escalate() == 0  # the task runs again: nothing new
    escalation = Escalation.objects.get()
    assert (escalation.kind, escalation.supervisor) == ("first_attempt", supervisor)
    message = OutboxMessage.objects.get(kind="critical.escalation")
    assert message.to == "13800000001" and visit.number in message.text


def test_the_read_back_target_escalates_separately_and_once(visit, staff_chen, supervisor, clock):
    record(visit, "HGB", "70", staff_chen)
    clock.shift(dt.timedelta(minutes=5))
    attempt_record(
        notification=Notification.objects.get(),
        actor=staff_chen,
        step="person",
        outcome="no_answer",
        number="1",
    )
    clock.shift(dt.timedelta(minutes=56))
    assert notifications_escalate() == 1
    assert notifications_escalate() == 0
    assert list(Escalation.objects.values_list("kind", flat=True)) == ["read_back"]


def test_a_notification_read_back_in_time_never_escalates(visit, staff_chen, supervisor, clock):
    record(visit, "HGB", "70", staff_chen)
    attempt_record(
        notification=Notification.objects.get(),
        actor=staff_chen,
        step="person",
        outcome="read_back",
        number="1",
        answered_by="本人",
        read_back="Hb 70",
        advice="复查",
    )
    clock.shift(dt.timedelta(days=5))
    assert notifications_escalate() == 0 and not Escalation.objects.exists()


def test_a_class_b_notification_has_a_day_for_the_first_attempt(visit, staff_chen, supervisor, clock):
    record(visit, "GLU", "8.0", staff_chen)
    clock.shift(dt.timedelta(hours=23))
    assert notifications_escalate() == 0
    clock.shift(dt.timedelta(hours=2))
    assert notifications_escalate() == 1


def test_the_signature_waits_for_a_first_attempt_at_a_class_a_result(visit, staff_chen):
    record(visit, "HGB", "70", staff_chen)
    assert any("not yet communicated" in problem for problem in signoff_problems(visit))
    attempt_record(
        notification=Notification.objects.get(),
        actor=staff_chen,
        step="person",
        outcome="no_answer",
        number="1",
    )
    assert not any("not yet communicated" in problem for problem in signoff_problems(visit))
