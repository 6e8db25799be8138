"""The demo's present is never after the real now (issue 18 item 6): a response dated in the future
made the complaint desk refuse its recovery case ("the time of receipt is in the future") — 46 such
refusals in the log of a 100,000-patient load run on the as-of day before 18:00 Shanghai time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine

from carebridge.surveys.demo.generator import SurveyPlanner

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _planner(as_of: dt.date) -> SurveyPlanner:
    return SurveyPlanner(seed=7, as_of=as_of, definitions={}, contacts=[], colleagues=[])


def test_on_the_as_of_day_before_six_pm_the_present_is_the_real_time() -> None:
    morning = dt.datetime(2026, 12, 3, 9, 30, tzinfo=SHANGHAI)
    with time_machine.travel(morning, tick=False):
        assert _planner(dt.date(2026, 12, 3)).now == morning


def test_a_past_as_of_day_ends_at_six_pm() -> None:
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 30, tzinfo=SHANGHAI), tick=False):
        assert _planner(dt.date(2026, 12, 1)).now == dt.datetime(2026, 12, 1, 18, tzinfo=SHANGHAI)
