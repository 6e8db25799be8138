"""The demo's default date: its clock stands at 09:30 local time, so before that hour it is yesterday."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from carebridge.core.demo.steps import demo_today

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (dt.datetime(2026, 12, 4, 1, 0, tzinfo=SHANGHAI), dt.date(2026, 12, 3)),  # after midnight: yesterday
        (dt.datetime(2026, 12, 4, 9, 29, tzinfo=SHANGHAI), dt.date(2026, 12, 3)),
        (dt.datetime(2026, 12, 4, 9, 30, tzinfo=SHANGHAI), dt.date(2026, 12, 4)),  # the morning has come
        (dt.datetime(2026, 12, 4, 23, 59, tzinfo=SHANGHAI), dt.date(2026, 12, 4)),
    ],
)
def test_the_demo_is_dated_the_last_day_whose_morning_has_passed(local, expected, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    assert demo_today(local.astimezone(dt.UTC)) == expected
