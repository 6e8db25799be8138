"""Detection in the same transaction: a result and its notification commit or roll back together; a
person's several matches in one visit are one notification; a corrected result is judged again and the
notification says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from carebridge.checkup.models import Result
from carebridge.checkup.tests.support.people import record
from carebridge.critical.models import Finding, Notification

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_failing_transaction_leaves_neither_the_result_nor_its_notification(visit, staff_chen):
    with pytest.raises(Boom), transaction.atomic():
        record(visit, "HGB", "75", staff_chen)
        assert Notification.objects.filter(visit=visit).count() == 1  # created inside the transaction
        raise Boom
    assert not Result.objects.filter(visit=visit).exists()
    assert not Notification.objects.exists() and not Finding.objects.exists()


def test_a_failure_in_detection_rolls_back_the_result(visit, staff_chen, monkeypatch):
    def broken(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(Finding.objects, "update_or_create", broken)
    with pytest.raises(Boom):
        record(visit, "HGB", "75", staff_chen)
    assert not Result.objects.exists() and not Notification.objects.exists()


def test_a_normal_result_creates_nothing(visit, staff_chen):
    record(visit, "HGB", "140", staff_chen)
    assert not Notification.objects.exists()


def test_several_matches_of_one_visit_are_one_notification_listing_them_all(visit, staff_chen, clock):
    record(visit, "GLU", "8.2", staff_chen)  # class B
    first = Notification.objects.get()
    assert first.severity == "B"
    assert first.first_attempt_due - first.detected_at == dt.timedelta(days=1)
    clock.shift(dt.timedelta(minutes=10))
    record(visit, "PLT", "60", staff_chen)  # class A joins: the notification becomes class A
    record(visit, "CEA", "12", staff_chen)
    notification = Notification.objects.get()
    assert notification.pk == first.pk and notification.severity == "A"
    assert notification.first_attempt_due - notification.detected_at == dt.timedelta(minutes=15)
    assert notification.read_back_due - notification.detected_at == dt.timedelta(minutes=60)
    codes = list(notification.findings.order_by("id").values_list("rule__code", flat=True))
    assert codes == ["FPG-HIGH", "PLT-LOW", "TM-HIGH"]
    assert [t.to_status for t in notification.transitions.all()] == ["new"]


def test_a_correction_that_no_longer_matches_withdraws_and_says_so(visit, staff_chen):
    result = record(visit, "HGB", "75", staff_chen)
    record(visit, "HGB", "125", staff_chen, correction_reason="sample was diluted")
    notification = Notification.objects.get()
    assert notification.status == "withdrawn" and notification.corrected
    finding = notification.findings.get(result=result)
    assert not finding.is_current and "125" in finding.note
    assert "no longer meets" in notification.transitions.order_by("at", "id").last().reason


def test_a_correction_that_still_matches_updates_the_finding_and_says_so(visit, staff_chen):
    record(visit, "HGB", "85", staff_chen)
    record(visit, "HGB", "70", staff_chen, correction_reason="re-run")
    notification = Notification.objects.get()
    assert notification.status == "new" and notification.corrected
    finding = notification.findings.get()
    assert finding.is_current and finding.value.startswith("70") and "corrected" in finding.note


def test_a_correction_into_the_critical_range_reopens_a_withdrawn_notification(visit, staff_chen):
    record(visit, "HGB", "75", staff_chen)
    record(visit, "HGB", "125", staff_chen, correction_reason="diluted")
    record(visit, "HGB", "76", staff_chen, correction_reason="re-run confirms")
    notification = Notification.objects.get()
    assert notification.status == "new"
    assert notification.findings.filter(is_current=True).count() == 1


def test_a_correction_of_a_normal_result_into_the_range_creates_a_notification(visit, staff_chen):
    record(visit, "CK", "300", staff_chen)
    record(visit, "CK", "2400", staff_chen, correction_reason="wrong sample")
    notification = Notification.objects.get()
    assert notification.corrected and notification.severity == "A"


def test_a_redelivered_result_creates_no_second_notification(visit, staff_chen):
    record(visit, "HGB", "75", staff_chen, source="hl7", source_key="MSH-1|OBX-1")
    record(visit, "HGB", "75", staff_chen, source="hl7", source_key="MSH-1|OBX-1")
    assert Notification.objects.count() == 1 and Finding.objects.count() == 1
