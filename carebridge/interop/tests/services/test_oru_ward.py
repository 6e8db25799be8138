"""ORU^R01 for an inpatient (issue #12, "ORU^R01 into results (checkup visits and any other
encounter)"): the LIS reports a ward's laboratory results under the visit number the HIS admitted the
stay with; they are filed once into the stay's results holder, AA only after commit; a critical value
opens a notification under the ward's rule set whose clinical ladder starts at the stay's attending
doctor, on the ward's critical queue and not the checkup centre's; an unknown encounter number, item
code or unit is AE with a readable ERR and files nothing."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from carebridge.checkup.models import Result, Visit
from carebridge.core.tests.factories import StaffFactory, make_persona
from carebridge.critical.models import Escalation, Notification
from carebridge.critical.selectors.notifications import escalated_open, notification_queue
from carebridge.critical.services.attempts import contacts_of, ladder_of
from carebridge.critical.tasks import notifications_escalate
from carebridge.frontdesk.domain.carryover import carried_items
from carebridge.interop.models import InboundMessage
from carebridge.interop.services.messages import hl7_receive
from carebridge.interop.tests.support.messages import adt, oru, segment
from carebridge.interop.tests.support.mllp import round_trip
from carebridge.patients.models import Encounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(hospital, cardiology):
    """Cardiology's Dr Li (the stay's attending doctor) and its head, Zhang."""
    head = make_persona("zhang", "dept_head", hospital, departments=[cardiology])
    head.staff.home_department = cardiology
    head.staff.phone = "13700000003"
    head.staff.save()
    doctor = StaffFactory(
        hospital=hospital,
        name="李明",
        kind="doctor",
        title="主治医师",
        phone="13700000001",
        home_department=cardiology,
    )
    return SimpleNamespace(doctor=doctor, head=head)


@pytest.fixture
def senders(his, lis):
    return his, lis


@pytest.fixture
def stay(clock, catalogue, senders, wards, people):
    """Patient M0001 admitted by the HIS to cardiology's ward CW1 under Dr Li (PV1-7), visit ZY001."""
    ack = hl7_receive(
        raw=adt(
            "A01", control_id="A1", visit="ZY001", ward="CW1", department="CARD", doctor="D01^李^明"
        ).encode()
    )
    assert segment(ack, "MSA")[1] == "AA"
    return Encounter.objects.get(source_key__endswith=":visit:ZY001")


def ward_oru(control_id, observations, *, visit="ZY001", order="L0001", mrn="M0001"):
    return oru(
        control_id=control_id,
        mrn=mrn,
        visit=visit,
        order=order,
        patient_class="I",
        observations=observations,
        name="张^三",
    ).encode()


CRITICAL = [("HGB", "L", "55", "g/L"), ("GLU", "L", "5.2", "mmol/L")]


def test_the_admission_names_the_attending_doctor_of_pv1_7(stay, people):
    assert stay.attending_doctor == people.doctor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the listener has its own connection
def test_a_ward_result_over_mllp_is_filed_once_and_opens_a_ward_notification_on_the_clinical_ladder(
    stay, staff_chen, clinician_zhou
):
    acked, resent = round_trip([ward_oru("R1", CRITICAL), ward_oru("R1", CRITICAL)])

    assert segment(acked, "MSA")[1:3] == ["AA", "R1"] and resent == acked
    holder = Visit.all_kinds.get(encounter=stay)
    assert (holder.kind, holder.number, holder.department) == ("clinical", "L0001", stay.department)
    assert Result.objects.filter(visit=holder).count() == 2  # once, though sent twice
    assert InboundMessage.objects.get(control_id="R1").status == "accepted"

    notification = Notification.objects.get()
    assert notification.rule_set.code == "WARD" and notification.rule_set.population == "clinical"
    assert (notification.severity, notification.department) == ("A", stay.department)
    assert [f.result.item.code for f in notification.findings.all()] == ["HGB"]
    assert ladder_of(notification) == ["doctor", "ward_nurse", "dept_head"]
    first = contacts_of(notification)[0]
    assert (first.step, first.name, first.number) == ("doctor", "李明 主治医师", "137****0001")
    # On the ward's critical queue (cardiology), not on the checkup centre's.
    assert list(notification_queue(user=clinician_zhou)) == [notification]
    assert not notification_queue(user=staff_chen).exists()


def test_a_later_report_of_the_same_stay_is_a_new_result_and_a_new_notification(stay):
    hl7_receive(raw=ward_oru("R1", CRITICAL))
    ack = hl7_receive(raw=ward_oru("R2", [("HGB", "L", "52", "g/L")], order="L0002"))

    assert segment(ack, "MSA")[1] == "AA"
    assert Result.objects.filter(item__code="HGB").count() == 2
    assert Visit.all_kinds.filter(encounter=stay).count() == 2
    assert Notification.objects.count() == 2


def test_a_corrected_report_of_the_same_order_corrects_its_result(stay):
    hl7_receive(raw=ward_oru("R1", CRITICAL))
    ack = hl7_receive(raw=ward_oru("R1C", [("HGB", "L", "95", "g/L")]))

    assert segment(ack, "MSA")[1] == "AA"
    result = Result.objects.get(item__code="HGB")
    assert result.entered_value == "95"
    notification = Notification.objects.get()
    assert notification.status == "withdrawn" and notification.corrected


def test_a_ward_results_critical_value_is_not_judged_by_the_checkup_list(stay):
    # Glucose ≥ 7.0 is on the checkup centre's list, not on the ward's: a ward patient's doctor sees it.
    hl7_receive(raw=ward_oru("R1", [("GLU", "L", "7.5", "mmol/L")]))
    assert Result.objects.get().flag == "H"
    assert not Notification.objects.exists()


def test_an_encounter_number_that_does_not_exist_is_an_application_error(stay):
    ack = hl7_receive(raw=ward_oru("R1", CRITICAL, visit="ZY-NOPE"))

    assert segment(ack, "MSA")[1] == "AE"
    err = segment(ack, "ERR")
    assert "ZY-NOPE" in err[8] and err[2] == "PV1^1^19"
    assert not Result.objects.exists() and not Visit.all_kinds.exists()
    assert InboundMessage.objects.get(control_id="R1").status == "failed"


def test_an_unknown_item_code_or_unit_on_a_ward_report_files_nothing(stay):
    unknown = hl7_receive(raw=ward_oru("R1", [*CRITICAL, ("XK-1", "LOCAL-LIS", "6.8", "mmol/L")]))
    bad_unit = hl7_receive(raw=ward_oru("R2", [("HGB", "L", "5.5", "mmol/L")]))

    assert segment(unknown, "MSA")[1] == "AE" and "XK-1" in segment(unknown, "ERR")[8]
    assert segment(bad_unit, "MSA")[1] == "AE" and segment(bad_unit, "ERR")[2] == "OBX^1^5"
    assert not Result.objects.exists() and not Notification.objects.exists()
    assert not Visit.all_kinds.exists()  # the holder rolled back with the results


def test_a_ward_result_from_another_sender_finds_the_stay_the_his_admitted(stay):
    # Same visit number, reported by the LIS while the HIS registered it: one stay, one holder.
    hl7_receive(raw=ward_oru("R1", CRITICAL))
    assert Visit.all_kinds.get().encounter == stay


def test_an_overdue_ward_notification_is_handed_over_and_on_the_wards_workspace(
    stay, clock, clinician_zhou, staff_chen, people
):
    hl7_receive(raw=ward_oru("R1", CRITICAL))
    clock.shift(dt.timedelta(minutes=16))  # past the class-A first-attempt target

    assert notifications_escalate() == 1
    notification = Notification.objects.get()
    assert Escalation.objects.get(notification=notification).supervisor == people.head
    carried = [c for c in carried_items(stay.hospital, timezone.now()) if c.kind == "critical"]
    assert [c.object_key for c in carried] == [str(notification.pk)]
    assert list(escalated_open(user=clinician_zhou)) == [notification]
    assert not escalated_open(user=staff_chen).exists()
