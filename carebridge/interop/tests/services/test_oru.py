"""ORU^R01 into checkup results (issue #12), through the centre's ``result_record``: units converted,
LOINC and mapped codes understood, an unknown code answered AE and kept until a mapping is added and
the message replayed once; UTF-8 and GB18030 both read; the result announced inside the transaction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError

from carebridge.checkup.domain.events import result_recorded
from carebridge.checkup.models import Item, Result
from carebridge.interop.models import InboundMessage
from carebridge.interop.services.messages import hl7_receive, message_replay
from carebridge.interop.services.setup import code_mapping_add
from carebridge.interop.tests.support.messages import oru, segment

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(open_visit):
    return open_visit


def send(visit, control_id, observations, **kwargs):
    text = oru(
        control_id=control_id, mrn=visit.patient.mrn, visit=visit.number, observations=observations, **kwargs
    )
    return hl7_receive(raw=text.encode("gb18030" if "GB" in kwargs.get("charset", "") else "utf-8"))


def test_results_are_filed_in_the_items_unit_through_the_centres_service(visit, lis):
    ack = send(visit, "R1", [("GLU", "L", "126", "mg/dL"), ("CREA", "L", "1.2", "mg/dL")])

    assert segment(ack, "MSA")[1:3] == ["AA", "R1"]
    glucose = Result.objects.get(item__code="GLU")
    assert (glucose.value_numeric, glucose.unit, glucose.flag) == (Decimal("7.0000"), "mmol/L", "H")
    assert glucose.source == "hl7" and glucose.recorded_by == lis.account
    assert Result.objects.get(item__code="CREA").value_numeric == Decimal("106.0800")


def test_a_loinc_code_finds_its_item(visit, lis):
    loinc = Item.objects.get(hospital=visit.hospital, code="GLU").loinc
    assert loinc
    assert segment(send(visit, "R1", [(loinc, "LN", "5.1", "mmol/L")]), "MSA")[1] == "AA"
    assert Result.objects.get().item.code == "GLU"


def test_a_gb18030_message_is_read_and_answered_in_gb18030(visit, lis):
    ack = send(visit, "R1", [("GLU", "L", "5.2", "mmol/L")], charset="GB 18030-2000", name="王^建国")
    assert segment(ack, "MSA", "gb18030")[1] == "AA"
    assert segment(ack, "MSH", "gb18030")[17] == "GB 18030-2000"
    assert InboundMessage.objects.get().text.count("王") == 1


def test_a_unit_that_cannot_be_converted_is_an_application_error_and_nothing_is_filed(visit, lis):
    ack = send(visit, "R1", [("GLU", "L", "5.2", "mmol/L"), ("WBC", "L", "6.1", "mg/dL")])
    assert segment(ack, "MSA")[1] == "AE"
    assert "cannot be converted" in segment(ack, "ERR")[8] and segment(ack, "ERR")[2] == "OBX^2^5"
    assert not Result.objects.exists()


def test_an_unknown_code_fails_and_replays_once_after_its_mapping_is_added(visit, lis, admin_sun):
    ack = send(visit, "R1", [("GLU", "L", "5.2", "mmol/L"), ("XTG-99", "LOCAL-LIS", "1.1", "mmol/L")])
    assert segment(ack, "MSA")[1] == "AE" and "XTG-99" in segment(ack, "ERR")[8]
    failed = InboundMessage.objects.get(control_id="R1")
    assert failed.status == "failed" and not Result.objects.exists()

    triglycerides = Item.objects.get(hospital=visit.hospital, code="TG")
    code_mapping_add(
        hospital=visit.hospital, system="LOCAL-LIS", code="XTG-99", item=triglycerides, actor=admin_sun
    )
    replayed = message_replay(message=failed, actor=admin_sun)

    assert replayed.status == "accepted" and Result.objects.count() == 2
    assert [(t.from_status, t.to_status) for t in replayed.transitions.all()] == [("failed", "accepted")]
    # Once: the sender's re-send now gets AA and files nothing more.
    assert segment(send(visit, "R1", [("GLU", "L", "5.2", "mmol/L")]), "MSA")[1] == "AA"
    assert Result.objects.count() == 2
    with pytest.raises(Exception, match="Only a failed"):
        message_replay(message=replayed, actor=admin_sun)


def test_only_a_permitted_user_replays(visit, lis, clinician_zhou):
    send(visit, "R1", [("NOPE", "L", "1", "")])
    with pytest.raises(PermissionDenied):
        message_replay(message=InboundMessage.objects.get(), actor=clinician_zhou)


def test_each_result_is_announced_inside_the_transaction(visit, lis):
    heard = []

    def receiver(sender, result, created, actor, **kwargs):
        heard.append((result.item.code, actor))

    result_recorded.connect(receiver, dispatch_uid="interop-test")
    try:
        send(visit, "R1", [("GLU", "L", "5.2", "mmol/L")])
    finally:
        result_recorded.disconnect(dispatch_uid="interop-test")
    assert heard == [("GLU", lis.account)]


def test_a_failure_before_commit_sends_no_aa_and_files_nothing(visit, lis):
    def receiver(sender, **kwargs):
        raise DatabaseError("connection lost before commit")

    result_recorded.connect(receiver, dispatch_uid="interop-kill")
    try:
        ack = send(visit, "R1", [("GLU", "L", "5.2", "mmol/L")])
    finally:
        result_recorded.disconnect(dispatch_uid="interop-kill")
    assert segment(ack, "MSA")[1] == "AE"
    assert not Result.objects.exists()
    assert segment(send(visit, "R1", [("GLU", "L", "5.2", "mmol/L")]), "MSA")[1] == "AA"
    assert Result.objects.count() == 1


def test_an_unknown_patient_gets_ae(visit, lis):
    text = oru(control_id="R1", mrn="NOBODY", visit=visit.number, observations=[("GLU", "L", "5", "mmol/L")])
    ack = hl7_receive(raw=text.encode())
    assert segment(ack, "MSA")[1] == "AE" and "NOBODY" in segment(ack, "ERR")[8]
