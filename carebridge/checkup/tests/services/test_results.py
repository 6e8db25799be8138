"""Filing results (issue #11): a value in mg/dL is stored in the canonical unit with the right flag; a
unit that cannot be converted is refused with a clear message and nothing is stored; every result is
announced inside the transaction; completeness counts ordered, resulted and waived."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.checkup.domain.events import result_recorded
from carebridge.checkup.models import Result
from carebridge.checkup.selectors.visits import completeness, visit_get
from carebridge.checkup.services.results import room_sign
from carebridge.checkup.services.visits import order_waive
from carebridge.checkup.tests.support.people import checked_in, order_of, record
from carebridge.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(clock, catalogue, centre, staff_chen, customer):
    return checked_in(centre=centre, actor=staff_chen, patient=customer, package=catalogue.packages["M-40"])


def test_a_glucose_in_mg_dl_is_stored_in_mmol_per_litre_and_flagged_high(visit, staff_chen):
    result = record(visit, "GLU", "126", staff_chen, unit="mg/dL")
    assert result.value_numeric == Decimal("7.0000") and result.unit == "mmol/L"
    assert (result.entered_value, result.entered_unit) == ("126", "mg/dL")
    assert result.flag == "H" and (result.ref_low, result.ref_high) == (Decimal("3.9"), Decimal("6.1"))
    order = order_of(visit, "GLU")
    assert order.status == "resulted" and order.performed_at is not None


def test_creatinine_in_mg_dl_is_stored_in_micromoles_and_the_mans_range_is_used(visit, staff_chen):
    result = record(visit, "CREA", "1.2", staff_chen, unit="mg/dL")
    assert result.value_numeric == Decimal("106.0800") and result.flag == "H"  # men: 57–97 μmol/L
    assert result.ref_text == "57–97"


def test_a_unit_that_cannot_be_converted_is_refused_clearly_and_nothing_is_stored(visit, staff_chen):
    with pytest.raises(ValidationError) as refused:
        record(visit, "WBC", "6.1", staff_chen, unit="mg/dL")
    message = refused.value.message_dict["unit"][0]
    assert "mg/dL" in message and "10*9/L" in message and "白细胞计数" in message
    assert not Result.objects.exists()
    assert order_of(visit, "WBC").status == "ordered"
    assert not AuditEvent.objects.filter(action__startswith="checkup.result").exists()


def test_an_unknown_unit_is_refused_and_nothing_is_stored(visit, staff_chen):
    with pytest.raises(ValidationError, match="mg/dl/h"):
        record(visit, "GLU", "5", staff_chen, unit="mg/dl/h")
    assert not Result.objects.exists()


def test_grades_findings_and_positive_results_are_flagged(visit, staff_chen):
    assert record(visit, "UPRO", "2+", staff_chen).flag == "A"
    assert record(visit, "UGLU", "-", staff_chen).flag == "N"
    assert record(visit, "FOBT", "阳性", staff_chen).value_text == "positive"
    assert record(visit, "USABD", "fatty_liver", staff_chen).flag == "A"
    with pytest.raises(ValidationError):
        record(visit, "ECG", "heart attack", staff_chen)


def test_every_result_is_announced_inside_the_transaction(visit, staff_chen):
    heard = []

    def receiver(sender, result, created, actor, **kwargs):
        heard.append((result.item.code, created, Result.objects.filter(pk=result.pk).exists()))

    result_recorded.connect(receiver, dispatch_uid="test-receiver")
    try:
        record(visit, "HGB", "8.5", staff_chen, unit="g/dL")
        record(visit, "HGB", "85", staff_chen, correction_reason="录入错误")
    finally:
        result_recorded.disconnect(dispatch_uid="test-receiver")
    assert heard == [("HGB", True, True), ("HGB", False, True)]


def test_a_receiver_that_fails_undoes_the_result(visit, staff_chen):
    def receiver(sender, **kwargs):
        raise RuntimeError("critical rules down")

    result_recorded.connect(receiver, dispatch_uid="failing")
    try:
        with pytest.raises(RuntimeError):
            record(visit, "WBC", "2.1", staff_chen)
    finally:
        result_recorded.disconnect(dispatch_uid="failing")
    assert not Result.objects.exists()


def test_a_second_result_is_a_correction_with_a_reason(visit, staff_chen):
    record(visit, "GLU", "5.2", staff_chen)
    with pytest.raises(ValidationError):
        record(visit, "GLU", "5.4", staff_chen)
    corrected = record(visit, "GLU", "5.4", staff_chen, correction_reason="仪器复测")
    assert Result.objects.count() == 1 and corrected.value_numeric == Decimal("5.4000")


def test_a_redelivered_message_does_not_duplicate_the_result(visit, staff_chen):
    first = record(visit, "GLU", "5.2", None, source="hl7", source_key="MSH-1:OBX-1")
    again = record(visit, "GLU", "9.9", None, source="hl7", source_key="MSH-1:OBX-1")
    assert first.pk == again.pk and again.value_numeric == Decimal("5.2000")


def test_a_clinician_cannot_enter_results(visit, clinician_zhou):
    with pytest.raises(PermissionDenied):
        record(visit, "GLU", "5.2", clinician_zhou)


def test_completeness_counts_ordered_resulted_and_waived_with_the_reason(visit, staff_chen):
    record(visit, "GLU", "5.2", staff_chen)
    order_waive(order=order_of(visit, "CXR"), actor=staff_chen, reason="备孕，拒绝放射检查")
    summary = completeness(visit_get(user=staff_chen, pk=visit.pk))
    assert summary.ordered == visit.orders.count()
    assert (summary.resulted, summary.waived) == (1, 1)
    assert summary.missing == summary.ordered - 2 and "空腹血糖" not in summary.missing_items
    assert summary.waived_items == [("胸部正位片（DR）", "备孕，拒绝放射检查")]


def test_a_room_signs_only_when_its_items_are_all_resulted_or_waived(visit, staff_chen, catalogue):
    room = catalogue.rooms["GEN"]
    with pytest.raises(ValidationError, match="Still without a result"):
        room_sign(visit=visit, room=room, actor=staff_chen)
    for code, value in (("HT", "172"), ("WT", "80"), ("BMI", "27.0"), ("SBP", "128"), ("DBP", "82")):
        record(visit, code, value, staff_chen)
    assert room_sign(visit=visit, room=room, actor=staff_chen).signed_by == staff_chen
    summary = completeness(visit_get(user=staff_chen, pk=visit.pk))
    assert "一般检查（身高体重血压）" not in summary.unsigned_rooms
