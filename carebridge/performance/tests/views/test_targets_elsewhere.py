"""The modules' own pages show the target and band the hospital scorecard sets for their figures."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from carebridge.complaints.tests.factories import make_offices, receive_case
from carebridge.followup.tests.factories import SH
from carebridge.performance.services.scorecards import scorecard_activate
from carebridge.performance.tests.factories import build_scorecard

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def test_complaint_statistics_show_the_in_time_target_and_band(
    admin_sun, hospital, agent_ann, complaint_officer_li
):
    make_offices(hospital)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=SH), tick=False):
        receive_case(hospital, agent_ann)
    with time_machine.travel(dt.datetime(2026, 4, 15, 9, tzinfo=SH), tick=False):
        before = _client(complaint_officer_li).get("/desk/complaints/statistics/").content.decode()
        assert 'class="border rounded px-2 py-1 small kpi-target"' not in before  # no target set yet
        card = build_scorecard(
            actor=admin_sun, hospital=hospital, kpis={"complaints_in_time": {"target": 95, "minimum": 80}}
        )
        scorecard_activate(actor=admin_sun, scorecard=card)
        html = _client(complaint_officer_li).get("/desk/complaints/statistics/").content.decode()
    assert 'data-code="complaints_in_time" data-band="red"' in html and "Target 95.0" in html
