"""Intake throughput (issue #12, bench): a multi-OBX ORU^R01 reads its items, mappings and the visit's
orders once for the whole message, not once per OBX — each further OBX costs only what filing its result
(and judging it against the critical-result rules) costs."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.checkup.models import Result
from carebridge.interop.services.messages import hl7_receive
from carebridge.interop.tests.support.messages import oru, segment

pytestmark = pytest.mark.django_db
CODES = ("GLU", "CREA", "WBC", "HGB", "PLT", "ALT", "AST", "TG", "TC", "UA")


def _queries(visit, control_id, codes):
    text = oru(
        control_id=control_id,
        mrn=visit.patient.mrn,
        visit=visit.number,
        observations=[(code, "L", "5.0", "") for code in codes],
    )
    with CaptureQueriesContext(connection) as captured:
        ack = hl7_receive(raw=text.encode())
    assert segment(ack, "MSA")[1] == "AA"
    return len(captured.captured_queries)


def test_each_further_obx_costs_only_its_filing(open_visit, lis):
    ordered = set(open_visit.orders.values_list("item__code", flat=True))
    codes = [code for code in CODES if code in ordered]
    assert len(codes) >= 8
    small = _queries(open_visit, "Q1", codes[:2])
    large = _queries(open_visit, "Q2", codes[2:8])
    per_obx = (large - small) / 4
    assert Result.objects.filter(visit=open_visit).count() == 8
    # Before the message-wide reads each OBX cost 20 queries (a mapping, an item and an order per OBX,
    # and a query to see whether the order had a result); at most 17 now.
    assert per_obx <= 17, (small, large)
