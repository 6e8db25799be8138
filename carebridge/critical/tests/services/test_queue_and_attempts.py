"""The work queue: class A first, claimed atomically (one winner among concurrent claims, PostgreSQL and
SQLite); attempts logged with time, who, number and outcome; a notification closes only with a read-back
or the whole ladder signed off by a supervisor; contacts revealed only with a logged reason."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from carebridge.checkup.tests.support.people import record
from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import make_persona
from carebridge.critical.models import Notification
from carebridge.critical.selectors.notifications import notification_queue
from carebridge.critical.services.attempts import (
    attempt_record,
    contacts_of,
    contacts_reveal,
    notification_sign_off_unreachable,
    recheck_record,
)
from carebridge.critical.services.queue import notification_claim, notification_claim_next
from carebridge.patients.models import PatientAccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def notification(visit, staff_chen):
    record(visit, "HGB", "75", staff_chen)
    return Notification.objects.get()


def _read_back(notification, actor, **extra):
    return attempt_record(
        notification=notification,
        actor=actor,
        step="person",
        outcome="read_back",
        number="13912345678",
        answered_by="王建国本人",
        read_back="血红蛋白75克每升",
        advice="尽快在就近医院复查血常规",
        **extra,
    )


def test_the_queue_shows_class_a_first_then_the_soonest_due(clock, catalogue, centre, staff_chen, visit):
    from carebridge.checkup.tests.support.people import checked_in

    record(visit, "GLU", "9.0", staff_chen)  # B
    other = checked_in(centre=centre, actor=staff_chen, items=[catalogue.items["PLT"]])
    record(other, "PLT", "50", staff_chen)  # A
    queue = list(notification_queue(user=staff_chen))
    assert [n.severity for n in queue] == ["A", "B"]


def test_an_outsider_sees_no_notification_of_the_centre(notification, clinician_zhou):
    assert not notification_queue(user=clinician_zhou).exists()
    with pytest.raises(PermissionDenied):
        notification_claim(notification=notification, actor=clinician_zhou)


def test_a_claim_is_refused_to_a_colleague_until_it_lapses(notification, staff_chen, staff_lin, clock):
    notification_claim(notification=notification, actor=staff_chen)
    with pytest.raises(ValidationError, match="colleague"):
        notification_claim(notification=notification, actor=staff_lin)
    assert notification_claim_next(actor=staff_lin) is None
    clock.shift(dt.timedelta(minutes=31))
    assert notification_claim(notification=notification, actor=staff_lin).claimed_by == staff_lin


def test_reached_with_read_back_closes_and_records_who_when_and_what(notification, staff_chen, clock):
    notification_claim(notification=notification, actor=staff_chen)
    clock.shift(dt.timedelta(minutes=5))
    attempt = _read_back(notification, staff_chen)
    notification.refresh_from_db()
    assert notification.status == "read_back" and notification.read_back_to == "王建国本人"
    assert notification.first_attempt_at == attempt.at == notification.read_back_at
    assert notification.claimed_by is None
    assert [t.to_status for t in notification.transitions.all()] == ["new", "read_back"]
    with pytest.raises(ValidationError, match="closed"):
        _read_back(notification, staff_chen)


def test_read_back_needs_who_answered_what_they_read_back_and_the_advice(notification, staff_chen):
    with pytest.raises(ValidationError) as refused:
        attempt_record(
            notification=notification, actor=staff_chen, step="person", outcome="read_back", number="1"
        )
    assert set(refused.value.message_dict) == {"answered_by", "read_back", "advice"}
    notification.refresh_from_db()
    assert notification.status == "new" and not notification.attempts.exists()


def test_no_answer_keeps_it_open_and_a_colleague_cannot_log_over_the_claim(
    notification, staff_chen, staff_lin
):
    attempt_record(
        notification=notification, actor=staff_chen, step="person", outcome="no_answer", number="139"
    )
    notification.refresh_from_db()
    assert notification.status == "in_progress" and notification.first_attempt_at is not None
    with pytest.raises(ValidationError, match="colleague"):
        _read_back(notification, staff_lin)


def test_unable_to_reach_needs_the_whole_ladder_and_a_supervisor(notification, staff_chen, examiner_he):
    attempt_record(
        notification=notification, actor=staff_chen, step="person", outcome="no_answer", number="139"
    )
    with pytest.raises(PermissionDenied):
        notification_sign_off_unreachable(notification=notification, actor=staff_chen, reason="tried")
    with pytest.raises(ValidationError, match="not yet tried"):
        notification_sign_off_unreachable(notification=notification, actor=examiner_he, reason="tried")
    attempt_record(
        notification=notification, actor=staff_chen, step="emergency", outcome="wrong_number", number="137"
    )
    attempt_record(notification=notification, actor=staff_chen, step="home_visit", outcome="letter_sent")
    # A person who came on their own has no employer step.
    closed = notification_sign_off_unreachable(
        notification=notification, actor=examiner_he, reason="moved away"
    )
    assert closed.status == "unreachable" and closed.signed_off_by == examiner_he


def test_contacts_are_masked_and_revealed_only_with_a_logged_reason(notification, staff_chen):
    assert [c.number for c in contacts_of(notification)] == ["139****5678"]
    with pytest.raises(ValidationError):
        contacts_reveal(notification=notification, actor=staff_chen, reason=" ")
    revealed = contacts_reveal(notification=notification, actor=staff_chen, reason="危急值通知")
    assert [c.number for c in revealed] == ["13912345678"]
    log = PatientAccessLog.objects.get(patient=notification.patient)
    assert (log.action, log.reason) == ("reveal", "危急值通知")
    assert AuditEvent.objects.filter(action="critical.contacts.reveal", summary="危急值通知").exists()


def test_the_recheck_outcome_is_recorded_after_the_person_was_reached(notification, staff_chen):
    with pytest.raises(ValidationError):
        recheck_record(notification=notification, actor=staff_chen, outcome="confirmed")
    _read_back(notification, staff_chen)
    recheck = recheck_record(
        notification=notification, actor=staff_chen, outcome="confirmed", diagnosis="缺铁性贫血"
    )
    assert recheck.outcome == "confirmed"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_claims_have_exactly_one_winner(clock, catalogue, centre, staff_chen, hospital):
    from carebridge.checkup.tests.support.people import checked_in

    visit = checked_in(centre=centre, actor=staff_chen, items=[catalogue.items["HGB"]])
    record(visit, "HGB", "70", staff_chen)
    notification = Notification.objects.get()
    workers = [make_persona(f"worker{i}", "checkup_staff", hospital, departments=[centre]) for i in range(8)]
    for worker in workers:  # warm the permission caches outside the race
        worker.has_perm("critical.work_notification")
    barrier = threading.Barrier(len(workers))
    winners: list[int] = []
    losers: list[int] = []
    failures: list[BaseException] = []

    def work(worker) -> None:
        try:
            barrier.wait(timeout=30)
            notification_claim(notification=notification, actor=worker)
            winners.append(worker.pk)
        except ValidationError:
            losers.append(worker.pk)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(winners) == 1 and len(losers) == len(workers) - 1
    assert Notification.objects.get().claimed_by_id == winners[0]
