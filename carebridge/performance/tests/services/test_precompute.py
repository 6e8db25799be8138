"""Stored monthly KPI figures (``KpiMonthValue``): the refresh stores, for every ended month, the figure the
live count gives on the same rows; a scorecard reads the stored figure of an ended month (last month
included) and counts this month live; the quarter-hourly refresh brings a late change of last month in
and stores this month, which a quarter or a year reads while the figure is fresh."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from carebridge.celery import app
from carebridge.complaints.choices import ComplaintStatus
from carebridge.complaints.models import Complaint
from carebridge.complaints.services.transitions import complaint_transition
from carebridge.complaints.tests.factories import make_offices, receive_case
from carebridge.performance.domain.periods import month_span, parse_span
from carebridge.performance.models import KpiAssignment, KpiMonthValue
from carebridge.performance.models.scorecards import ScorecardLevel
from carebridge.performance.selectors.scores import computed_month_figure, scorecard_scores, scorecards_scores
from carebridge.performance.services.precompute import kpi_last_month_refresh, kpi_month_values_refresh
from carebridge.performance.services.scorecards import scorecard_activate
from carebridge.performance.tests.factories import build_scorecard

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def _at(month: dt.date, day: int) -> dt.datetime:
    return dt.datetime(month.year, month.month, day, 9, tzinfo=SH)


@pytest.fixture
def built(hospital, agent_ann, complaint_officer_li, admin_sun):
    """Complaints in January and February (some closed on time, some left open past the deadline) and a
    scorecard counting the in-time rate and the inquiry figures."""
    make_offices(hospital)
    with time_machine.travel(_at(JAN, 5), tick=False):
        card = build_scorecard(
            actor=admin_sun,
            hospital=hospital,
            kpis={
                "complaints_in_time": {"target": 95, "minimum": 60},
                "inquiry_first_contact": {"target": 85, "minimum": 60},
            },
        )
        card = scorecard_activate(actor=admin_sun, scorecard=card)  # the refreshes count active scorecards
    cases = {}
    for month, opened, closed in ((JAN, 4, 3), (FEB, 5, 2)):
        with time_machine.travel(_at(month, 6), tick=False):
            # Closed on the spot (a resolution given) or left open past the feedback deadline.
            rows = [
                receive_case(hospital, agent_ann, on_the_spot_resolution="当场解释并致歉")
                for _ in range(closed)
            ] + [receive_case(hospital, agent_ann) for _ in range(opened - closed)]
            for case in rows[:closed]:
                complaint_transition(complaint=case, to=ComplaintStatus.CLOSED, actor=complaint_officer_li)
        cases[month] = rows
    return card, cases


def _stored(card, kpi_id, month):
    return KpiMonthValue.objects.get(scorecard=card, kpi_id=kpi_id, month=month)


def test_every_stored_month_equals_the_live_count_of_its_rows(built):
    card, _cases = built
    now = _at(MAR, 10)
    with time_machine.travel(now, tick=False):
        written = kpi_month_values_refresh(now=now)
        assignments = list(KpiAssignment.objects.filter(objective__perspective__scorecard=card))
        assert written == 18 * len(assignments)
        for assignment in assignments:
            for month in (JAN, FEB):
                stored = _stored(card, assignment.kpi_id, month)
                live = computed_month_figure(card, assignment, month)
                assert (stored.numerator, stored.denominator) == (
                    pytest.approx(live.numerator),
                    pytest.approx(live.denominator),
                )
                assert (stored.value is None) == (live.value is None)
                if live.value is not None:
                    assert float(stored.value) == pytest.approx(live.value, abs=1e-4)
        in_time = next(a for a in assignments if a.kpi.code == "complaints_in_time")
        assert (
            float(_stored(card, in_time.kpi_id, JAN).numerator),
            _stored(card, in_time.kpi_id, JAN).denominator,
        ) == (3, 4)
        assert (
            float(_stored(card, in_time.kpi_id, FEB).numerator),
            _stored(card, in_time.kpi_id, FEB).denominator,
        ) == (2, 5)
        # Last month is stored too; this month is never stored (it is counted live).
        assert not KpiMonthValue.objects.filter(scorecard=card, month=MAR).exists()
        # A quarter read from the stored months equals the quarter counted live.
        quarter = scorecard_scores(scorecard=card, span=parse_span("2026-Q1")).kpis()
        KpiMonthValue.objects.filter(scorecard=card).delete()
        assert [(k.numerator, k.denominator, k.value) for k in quarter] == [
            (k.numerator, k.denominator, k.value)
            for k in scorecard_scores(scorecard=card, span=parse_span("2026-Q1")).kpis()
        ]


def test_last_month_reads_its_stored_figure_until_the_quarter_hourly_refresh(built):
    card, cases = built
    now = _at(MAR, 10)
    february = month_span(FEB)
    with time_machine.travel(now, tick=False):
        kpi_month_values_refresh(now=now)
        before = scorecard_scores(scorecard=card, span=february).kpis()[0]
        assert (before.numerator, before.denominator) == (2, 5)
        # A correction of February's rows (a closure recorded late with its true time): the stored
        # figure stands until the refresh, which then stores the new live count.
        Complaint.objects.filter(pk=cases[FEB][2].pk).update(closed_at=_at(FEB, 7))
        assert scorecard_scores(scorecard=card, span=february).kpis()[0].numerator == 2
        assert kpi_last_month_refresh(now=now) == 4  # one row per computed KPI, last month and this one
        assert KpiMonthValue.objects.filter(scorecard=card, month=MAR).count() == 2
        after = scorecard_scores(scorecard=card, span=february).kpis()[0]
        assert (after.numerator, after.denominator) == (3, 5)
        assignment = KpiAssignment.objects.get(
            objective__perspective__scorecard=card, kpi__code="complaints_in_time"
        )
        assert computed_month_figure(card, assignment, FEB).numerator == 3


def test_this_month_is_counted_live_beside_stored_months(built, hospital, agent_ann, complaint_officer_li):
    card, _cases = built
    with time_machine.travel(_at(MAR, 2), tick=False):
        kpi_month_values_refresh(now=_at(MAR, 2))
        case = receive_case(hospital, agent_ann, on_the_spot_resolution="当场解释并致歉")
        complaint_transition(complaint=case, to=ComplaintStatus.CLOSED, actor=complaint_officer_li)
        march = scorecard_scores(scorecard=card, span=month_span(MAR)).kpis()[0]
        assert (march.numerator, march.denominator, march.value) == (1, 1, 100.0)
        quarter = scorecard_scores(scorecard=card, span=parse_span("2026-Q1")).kpis()[0]
        assert (quarter.numerator, quarter.denominator) == (3 + 2 + 1, 4 + 5 + 1)


def test_both_refreshes_are_scheduled():
    app.loader.import_default_modules()
    nightly = settings.CELERY_BEAT_SCHEDULE["performance-kpi-month-values-refresh"]
    recent = settings.CELERY_BEAT_SCHEDULE["performance-kpi-last-month-refresh"]
    assert nightly["task"] in app.tasks and recent["task"] in app.tasks
    assert nightly["schedule"].hour == {1}
    assert recent["schedule"].minute == {7, 22, 37, 52}


def test_several_scorecards_read_together_equal_each_read_alone(built, admin_sun, hospital, orthopaedics):
    card, _cases = built
    with time_machine.travel(_at(JAN, 5), tick=False):
        department = scorecard_activate(
            actor=admin_sun,
            scorecard=build_scorecard(
                actor=admin_sun,
                hospital=hospital,
                kpis={"complaints_in_time": {"target": 95, "minimum": 60}},
                level=ScorecardLevel.DEPARTMENT,
                department=orthopaedics,
                name="骨科计分卡",
            ),
        )
    now = _at(MAR, 10)
    with time_machine.travel(now, tick=False):
        kpi_month_values_refresh(now=now)
        together_cards = [card, department]
        for month in (FEB, MAR):  # a stored month and this month, counted live
            together = scorecards_scores(scorecards=together_cards, span=month_span(month), now=now)
            alone = [
                scorecard_scores(scorecard=c, span=month_span(month), now=now) for c in (card, department)
            ]
            assert [r.to_json() for r in together] == [r.to_json() for r in alone]
        march = together[0].kpis()[0]
        assert march.value is None and march.band == "missing"  # nothing judged in March yet: missing


def test_a_year_reads_this_months_fresh_stored_figure_and_a_month_counts_it_live(
    built, hospital, agent_ann, complaint_officer_li
):
    card, _cases = built
    refreshed = _at(MAR, 2)
    with time_machine.travel(refreshed, tick=False):
        kpi_month_values_refresh(now=refreshed)
        kpi_last_month_refresh(now=refreshed)  # stores March: nothing judged yet
    later = refreshed + dt.timedelta(minutes=20)
    with time_machine.travel(later, tick=False):
        case = receive_case(hospital, agent_ann, on_the_spot_resolution="当场解释并致歉")
        complaint_transition(complaint=case, to=ComplaintStatus.CLOSED, actor=complaint_officer_li)
        # The month's own page moves at once; the year reads March as stored 20 minutes ago.
        march = scorecard_scores(scorecard=card, span=month_span(MAR), now=later).kpis()[0]
        assert (march.numerator, march.denominator) == (1, 1)
        year = scorecard_scores(scorecard=card, span=parse_span("2026"), now=later).kpis()[0]
        assert (year.numerator, year.denominator) == (3 + 2, 4 + 5)
        kpi_last_month_refresh(now=later)
        year = scorecard_scores(scorecard=card, span=parse_span("2026"), now=later).kpis()[0]
        assert (year.numerator, year.denominator) == (3 + 2 + 1, 4 + 5 + 1)
    # A stored figure older than an hour (the refresh stopped) is not trusted: March is counted live.
    stale = later + dt.timedelta(hours=2)
    with time_machine.travel(stale, tick=False):
        case = receive_case(hospital, agent_ann, on_the_spot_resolution="当场解释并致歉")
        complaint_transition(complaint=case, to=ComplaintStatus.CLOSED, actor=complaint_officer_li)
        year = scorecard_scores(scorecard=card, span=parse_span("2026"), now=stale).kpis()[0]
        assert (year.numerator, year.denominator) == (3 + 2 + 2, 4 + 5 + 2)
