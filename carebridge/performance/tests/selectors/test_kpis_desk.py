"""Desk KPIs on the scorecard: every figure is a count over the rows it drills into, and closing a
complaint on time in the desk moves the in-time rate of its month."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from carebridge.complaints.choices import ComplaintStatus
from carebridge.complaints.services.transitions import complaint_transition
from carebridge.complaints.tests.factories import make_offices, receive_case
from carebridge.performance.domain.periods import parse_span
from carebridge.performance.models import KpiAssignment
from carebridge.performance.selectors.kpis.registry import PART_DENOMINATOR, PART_NUMERATOR
from carebridge.performance.selectors.scores import kpi_rows, scorecard_scores
from carebridge.performance.tests.factories import build_scorecard

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _kpi(card, span):
    return scorecard_scores(scorecard=card, span=span).kpis()[0]


def _rows(card, span, part):
    assignment = KpiAssignment.objects.get(objective__perspective__scorecard=card)
    return kpi_rows(scorecard=card, assignment=assignment, span=span, part=part).count()


def test_a_complaint_closed_on_time_moves_the_in_time_rate_of_its_month(
    hospital, agent_ann, complaint_officer_li, admin_sun
):
    make_offices(hospital)
    march = parse_span("2026-03")
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=SH), tick=False):
        card = build_scorecard(
            actor=admin_sun, hospital=hospital, kpis={"complaints_in_time": {"target": 95, "minimum": 60}}
        )
        on_time = receive_case(hospital, agent_ann, on_the_spot_resolution="当场解释并致歉")
        late = receive_case(hospital, agent_ann)
        before = _kpi(card, march)
        # Neither deadline (5 working days: 17 March) has passed and neither case is closed: not judged.
        assert before.value is None and before.band == "missing" and before.score is None
        complaint_transition(complaint=on_time, to=ComplaintStatus.CLOSED, actor=complaint_officer_li)
        after = _kpi(card, march)
        assert (after.numerator, after.denominator, after.value) == (1, 1, 100.0)
        assert after.score == 100.0 and after.band == "green"
        assert scorecard_scores(scorecard=card, span=march).total == 100.0
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=SH), tick=False):
        # The other case's deadline has passed open: one of two in time.
        later = _kpi(card, march)
        assert (later.numerator, later.denominator, later.value) == (1, 2, 50.0)
        assert later.band == "red"  # below the minimum of 60
        assert _rows(card, march, PART_DENOMINATOR) == later.denominator == 2
        assert _rows(card, march, PART_NUMERATOR) == later.numerator == 1
        assert late.pk not in kpi_rows(
            scorecard=card,
            assignment=KpiAssignment.objects.get(objective__perspective__scorecard=card),
            span=march,
            part=PART_NUMERATOR,
        ).values_list("pk", flat=True)
        # The months of a quarter roll up by numerators and denominators: April has no case.
        quarter = _kpi(card, parse_span("2026-Q1"))
        assert (quarter.numerator, quarter.denominator, quarter.value) == (1, 2, 50.0)
        assert quarter.months_missing == ["2026-01", "2026-02"]
