"""ADT edge cases (issue #12, scope 1): a transfer (A02) moves the care plan with the stay, so the
discharge follow-up belongs to the receiving ward; a transfer of a stay already discharged or cancelled
is answered AE and changes nothing; a cancelled admission (A11) sent again is acknowledged and closes
nothing twice; a cancellation after the discharge is answered AE with a readable reason."""

from __future__ import annotations

import pytest

from carebridge.followup.models import CarePlan, CarePlanTransition
from carebridge.interop.models import InboundMessage
from carebridge.interop.services.messages import hl7_receive
from carebridge.interop.tests.support.messages import adt, segment
from carebridge.patients.models import Encounter

pytestmark = pytest.mark.django_db


def send(text: str) -> bytes:
    return hl7_receive(raw=text.encode("utf-8"))


def test_a_transfer_moves_the_care_plan_and_the_discharge_follow_up_is_the_receiving_wards(clock, his, wards):
    send(adt("A01", control_id="C1"))
    plan = CarePlan.objects.get()
    assert (plan.department.code, plan.ward) == ("PEDI", wards.pedi)
    assert segment(send(adt("A02", control_id="C2", ward="CW1", department="CARD")), "MSA")[1] == "AA"
    plan.refresh_from_db()
    assert (plan.department.code, plan.ward) == ("CARD", wards.card)
    assert {t.department.code for t in plan.touchpoints.all()} == {"CARD"}
    send(adt("A03", control_id="C3", ward="CW1", department="CARD", discharged="20250312060000"))
    plan.refresh_from_db()
    assert plan.discharged_at is not None
    assert plan.touchpoints.count() > 2 and {t.department.code for t in plan.touchpoints.all()} == {"CARD"}


def test_a_transfer_after_the_discharge_is_refused_and_changes_nothing(clock, his, wards):
    send(adt("A01", control_id="C1"))
    send(adt("A03", control_id="C2", discharged="20250312060000"))
    ack = send(adt("A02", control_id="C3", ward="CW1", department="CARD"))
    assert segment(ack, "MSA")[1] == "AE"
    assert "already ended" in "|".join(segment(ack, "ERR"))
    stay = Encounter.objects.get()
    assert (stay.department.code, stay.ward) == ("PEDI", wards.pedi)
    assert CarePlan.objects.get().department.code == "PEDI"
    assert InboundMessage.objects.get(control_id="C3").status == "failed"


def test_a_cancelled_admission_cannot_be_transferred(clock, his, wards):
    send(adt("A01", control_id="C1"))
    send(adt("A11", control_id="C2"))
    ack = send(adt("A02", control_id="C3", ward="CW1", department="CARD"))
    assert segment(ack, "MSA")[1] == "AE" and "cancelled" in "|".join(segment(ack, "ERR"))
    assert Encounter.objects.get().department.code == "PEDI"


def test_a_cancellation_sent_again_is_acknowledged_and_closes_once(clock, his, wards):
    send(adt("A01", control_id="C1"))
    assert segment(send(adt("A11", control_id="C2")), "MSA")[1] == "AA"
    assert segment(send(adt("A11", control_id="C3")), "MSA")[1] == "AA"  # a new control id
    plan = CarePlan.objects.get()
    assert plan.status == "closed"
    closing = CarePlanTransition.objects.filter(plan=plan, field="status", to_status="closed")
    assert closing.count() == 1


def test_a_cancellation_after_the_discharge_is_refused_with_a_reason(clock, his, wards):
    send(adt("A01", control_id="C1"))
    send(adt("A03", control_id="C2", discharged="20250312060000"))
    ack = send(adt("A11", control_id="C3"))
    assert segment(ack, "MSA")[1] == "AE"
    assert "already discharged" in "|".join(segment(ack, "ERR"))
    assert CarePlan.objects.get().status == "follow_up"
