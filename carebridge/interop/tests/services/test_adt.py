"""ADT messages into the registry and follow-up (issue #12): admit opens the stay and its care plan, a
discharge by message opens the same follow-up as a discharge on the ward's page, re-sent messages file
nothing twice, an unknown patient is answered AE with a readable ERR."""

from __future__ import annotations

import pytest

from carebridge.followup.models import CarePlan
from carebridge.followup.services.discharge import stay_discharge
from carebridge.interop.models import InboundMessage
from carebridge.interop.services.messages import hl7_receive
from carebridge.interop.tests.support.messages import adt, segment
from carebridge.patients.models import Encounter, Patient, PatientMerge

pytestmark = pytest.mark.django_db


def send(text: str) -> bytes:
    return hl7_receive(raw=text.encode("utf-8"))


def test_an_admission_registers_the_patient_and_opens_the_stay_and_its_care_plan(clock, his, wards):
    ack = send(adt("A01", control_id="C1", extra=["DG1|1||J18.9^肺炎^I10"]))

    assert segment(ack, "MSA")[1:3] == ["AA", "C1"]
    patient = Patient.objects.get(mrn="M0001")
    assert patient.name == "张三" and patient.sex == "M"
    stay = Encounter.objects.get(patient=patient)
    assert (stay.kind, stay.ward, stay.department.code) == ("inpatient", wards.pedi, "PEDI")
    assert stay.diagnoses.get().code == "J18.9"
    assert CarePlan.objects.filter(encounter=stay).exists()
    row = InboundMessage.objects.get(control_id="C1")
    assert row.status == "accepted" and {e["model"] for e in row.effects} >= {
        "patients.patient",
        "patients.encounter",
        "followup.careplan",
    }


def test_a_resent_admission_gets_the_same_ack_and_files_nothing_twice(clock, his, wards):
    first = send(adt("A01", control_id="C1"))
    again = send(adt("A01", control_id="C1"))

    assert again == first
    assert Patient.objects.count() == 1 and Encounter.objects.count() == 1
    assert InboundMessage.objects.get().attempts == 1


def test_a_discharge_message_opens_the_follow_up_exactly_as_the_wards_discharge_does(clock, his, wards):
    send(adt("A01", control_id="C1", visit="V1", mrn="M1"))
    send(adt("A01", control_id="C2", visit="V2", mrn="M2"))
    by_message = Encounter.objects.get(source_key__endswith=":V1")
    by_page = Encounter.objects.get(source_key__endswith=":V2")

    ack = send(adt("A03", control_id="C3", visit="V1", mrn="M1", discharged="20250312060000"))
    stay_discharge(
        encounter=by_page, ended_at=Encounter.objects.get(pk=by_message.pk).ended_at, actor=his.account
    )

    assert segment(ack, "MSA")[1] == "AA"
    plans = [CarePlan.objects.get(encounter=e) for e in (by_message, by_page)]
    assert plans[0].discharged_at is not None
    assert [(p.status, p.tier, p.discharged_at) for p in plans[:1]] == [
        (plans[1].status, plans[1].tier, plans[1].discharged_at)
    ]

    def calls(plan):
        return sorted((t.kind, t.due_at, t.status) for t in plan.touchpoints.all())

    assert calls(plans[0]) == calls(plans[1]) and calls(plans[0])


def test_an_unknown_patient_is_answered_ae_with_a_readable_err_and_kept_in_the_dead_letters(
    clock, his, wards
):
    ack = send(adt("A03", control_id="C9", mrn="NOPE", discharged="20250312060000"))

    msa, err = segment(ack, "MSA"), segment(ack, "ERR")
    assert msa[1:3] == ["AE", "C9"]
    assert err[2] == "PID^1^3" and err[3].startswith("204^")
    assert "no record with medical record number NOPE" in err[8]
    row = InboundMessage.objects.get(control_id="C9")
    assert row.status == "failed" and "NOPE" in row.error


def test_an_unknown_ward_changes_nothing(clock, his, wards):
    ack = send(adt("A01", control_id="C1", ward="XX9"))

    assert segment(ack, "MSA")[1] == "AE" and "XX9" in segment(ack, "ERR")[8]
    assert not Patient.objects.exists() and not Encounter.objects.exists()


def test_a_transfer_moves_the_stay_and_an_update_changes_the_patient(clock, his, wards):
    send(adt("A01", control_id="C1"))
    send(adt("A02", control_id="C2", ward="CW1", department="CARD"))
    update = adt("A08", control_id="C3").replace("张^三", "张^三丰")
    assert segment(send(update), "MSA")[1] == "AA"

    stay = Encounter.objects.get()
    assert (stay.department.code, stay.ward) == ("CARD", wards.card)
    assert Patient.objects.get().name == "张三丰"


def test_a_cancelled_admission_closes_its_care_plan(clock, his, wards):
    send(adt("A01", control_id="C1"))
    assert segment(send(adt("A11", control_id="C2")), "MSA")[1] == "AA"
    assert CarePlan.objects.get().status == "closed"


def test_a_merge_retires_the_prior_record(clock, his, wards):
    send(adt("A01", control_id="C1", mrn="M1", visit="V1"))
    send(adt("A01", control_id="C2", mrn="M2", visit="V2"))

    ack = send(adt("A40", control_id="C3", mrn="M1", extra=["MRG|M2^^^LXQ^MR"]))

    assert segment(ack, "MSA")[1] == "AA"
    assert PatientMerge.objects.get().duplicate.mrn == "M2"
    assert Patient.objects.get(mrn="M2").merged_into.mrn == "M1"


def test_a_facility_not_configured_is_rejected(clock, his, wards):
    ack = send(adt("A01", control_id="C1", facility="ROGUE"))
    assert segment(ack, "MSA")[1] == "AR" and "ROGUE" in segment(ack, "ERR")[8]
    assert not Patient.objects.exists()


def test_garbage_is_rejected_and_kept(clock, his):
    ack = hl7_receive(raw=b"hello, this is not HL7")
    assert segment(ack, "MSA")[1] == "AR"
    assert InboundMessage.objects.get().status == "rejected"


def test_an_unsupported_event_is_rejected(clock, his):
    ack = send(adt("A05", control_id="C1"))
    assert segment(ack, "MSA")[1] == "AR" and segment(ack, "ERR")[3].startswith("201^")
