"""The cockpit's survey line (issue 15 item 6, issue 18): the inpatient survey's index by month of
response comes from the stored monthly aggregate for closed months — the same figures as counting the
responses live — without reading the responses of those months again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.complaints.tests.factories import make_offices
from carebridge.followup.tests.factories import SH
from carebridge.insights.selectors.report import hospital_zone, monthly_summary
from carebridge.insights.selectors.responses import responses_visible
from carebridge.insights.services.aggregates import response_months_refresh
from carebridge.lib.periods import month_of
from carebridge.performance.domain.periods import month_span
from carebridge.performance.services.scorecards import scorecard_activate
from carebridge.performance.tests.factories import build_scorecard
from carebridge.reports.selectors.cockpit import cockpit
from carebridge.surveys.services.responses import response_store
from carebridge.surveys.tests.support.responses import open_wave

pytestmark = pytest.mark.django_db


@pytest.fixture
def inpatient_wave(hospital, quality_officer_qian, cardiology):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    wave.version.instrument.kind = "inpatient"
    wave.version.instrument.save(update_fields=["kind"])
    for month in (1, 2, 3):
        for day in range(1, 8):
            response_store(
                wave=wave,
                answers={"q1": (day + month) % 5 + 1, "q2": day % 5 + 1, "q3": 4, "nps": day + 2},
                mode="web",
                language="zh-hans",
                submitted_at=dt.datetime(2026, month, day * 3, 10, tzinfo=SH),
                department=cardiology,
            )
    return wave


@pytest.fixture
def card(admin_sun, hospital):
    make_offices(hospital)
    card = build_scorecard(
        actor=admin_sun, hospital=hospital, kpis={"complaints_in_time": {"target": 95, "minimum": 80}}
    )
    scorecard_activate(actor=admin_sun, scorecard=card)
    return card


def test_the_cockpit_reads_the_surveys_closed_months_from_the_aggregate(
    card, inpatient_wave, hospital, executive_zhao
):
    with time_machine.travel(dt.datetime(2026, 4, 15, 9, tzinfo=SH), tick=False):
        response_months_refresh()
        with CaptureQueriesContext(connection) as queries:
            board = cockpit(user=executive_zhao, span=month_span(dt.date(2026, 3, 1)))
        zone = hospital_zone(hospital)
        live = monthly_summary(
            responses=responses_visible(user=executive_zhao, hospital=hospital),
            start=month_of(dt.date(2025, 4, 1), zone).start,
            end=month_of(dt.date(2026, 4, 1), zone).start,
            zone=zone,
            by_department=False,
            instrument=inpatient_wave.version.instrument,
        )
    assert board.survey == inpatient_wave.version.instrument
    assert [(c.month, c.n) for c in board.survey_months] == [(c.month, c.n) for c in live]
    assert [c.month for c in live] == [dt.date(2026, m, 1) for m in (1, 2, 3)]
    assert all(c.n == 7 for c in live)
    for ours, theirs in zip(board.survey_months, live, strict=True):
        assert ours.mean == pytest.approx(theirs.mean, rel=1e-12)
    sql = [q["sql"] for q in queries.captured_queries]
    assert any("insights_responsemonth" in s for s in sql)
    # Every month of the trend had closed: no response is read for it.
    assert not any('FROM "surveys_response"' in s and "GROUP BY" in s.upper() for s in sql)


def test_the_cockpit_page_shows_the_survey_line(client, card, inpatient_wave, executive_zhao):
    with time_machine.travel(dt.datetime(2026, 4, 15, 9, tzinfo=SH), tick=False):
        response_months_refresh()
        client.force_login(executive_zhao)
        page = client.get("/reports/cockpit/?period=2026-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="cockpit-survey-months"' in html and "2026-01" in html
