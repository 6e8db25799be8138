"""The listener over a real socket (issue #12): a python-hl7 asyncio MLLP client sends to the real
server. AA arrives only once the message is committed (another connection sees the rows when it
arrives); a failure before commit gets no AA; a re-send gets the same ACK; garbage gets AR."""

from __future__ import annotations

import pytest
from django.db import connection

from carebridge.checkup.domain.events import result_recorded
from carebridge.checkup.models import Result
from carebridge.interop.models import InboundMessage
from carebridge.interop.tests.support.messages import adt, oru, segment
from carebridge.interop.tests.support.mllp import round_trip
from carebridge.patients.models import Encounter, Patient

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_admissions_over_mllp_are_acknowledged_after_commit_and_resends_file_nothing(clock, his, wards):
    first = adt("A01", control_id="C1").encode()
    answers = round_trip([first, b"MSH|garbage", first, adt("A03", control_id="C2", mrn="NOPE").encode()])

    acked, garbage, resent, unknown = answers
    assert segment(acked, "MSA")[1:3] == ["AA", "C1"]
    assert resent == acked
    assert segment(garbage, "MSA")[1] == "AR"
    assert segment(unknown, "MSA")[1] == "AE" and "NOPE" in segment(unknown, "ERR")[8]
    assert Patient.objects.count() == 1 and Encounter.objects.count() == 1
    assert InboundMessage.objects.order_by("id").values_list("status", flat=True)[0] == "accepted"


def test_results_over_mllp_in_gb18030_and_no_aa_when_the_transaction_dies(open_visit, lis):
    visit = open_visit
    customer = visit.patient
    message = oru(
        control_id="R1",
        mrn=customer.mrn,
        visit=visit.number,
        observations=[("GLU", "L", "126", "mg/dL")],
        charset="GB 18030-2000",
    ).encode("gb18030")
    seen_at_ack = []

    def dies(sender, **kwargs):
        raise RuntimeError("the process is killed before commit")

    result_recorded.connect(dies, dispatch_uid="interop-dies")
    try:
        (killed,) = round_trip([message])
    finally:
        result_recorded.disconnect(dispatch_uid="interop-dies")
    assert killed is None  # the connection closed without an ACK
    assert not Result.objects.exists()

    (acked,) = round_trip([message])
    connection.close()  # read what is committed, from a fresh connection
    seen_at_ack.append(Result.objects.count())
    assert segment(acked, "MSA", "gb18030")[1] == "AA" and seen_at_ack == [1]
    assert InboundMessage.objects.get(control_id="R1").attempts == 1
