"""Timing rules (pure): the 48-hour and 6-week bounds, quiet hours across midnight, the 30-day interval."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from carebridge.surveys.domain.timing import (
    Refusal,
    TimingRules,
    after_quiet_hours,
    first_send_time,
    in_quiet_hours,
    send_refusal,
    too_soon_after,
)

SH = ZoneInfo("Asia/Shanghai")
RULES = TimingRules()
DISCHARGED = dt.datetime(2025, 3, 3, 10, 0, tzinfo=SH)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=SH)


def test_nothing_goes_out_at_47_hours_59_minutes_after_discharge_but_at_48_hours_it_may():
    assert send_refusal(
        at=DISCHARGED + dt.timedelta(hours=47, minutes=59), discharged_at=DISCHARGED, rules=RULES
    ) == (Refusal.TOO_EARLY)
    assert send_refusal(at=DISCHARGED + dt.timedelta(hours=48), discharged_at=DISCHARGED, rules=RULES) is None


def test_six_weeks_after_discharge_is_the_last_moment():
    assert send_refusal(at=DISCHARGED + dt.timedelta(days=42), discharged_at=DISCHARGED, rules=RULES) is None
    late = DISCHARGED + dt.timedelta(days=42, minutes=1)
    assert send_refusal(at=late, discharged_at=DISCHARGED, rules=RULES) == Refusal.TOO_LATE


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (at(5, 20, 59), False),
        (at(5, 21, 0), True),  # the start is quiet
        (at(5, 23, 30), True),
        (at(6, 0, 0), True),  # across midnight
        (at(6, 7, 59), True),
        (at(6, 8, 0), False),  # the end is not
        (at(6, 12, 0), False),
    ],
)
def test_quiet_hours_cross_midnight(moment, quiet):
    assert in_quiet_hours(moment, rules=RULES) is quiet


def test_quiet_hours_are_read_in_the_hospital_zone_not_in_utc():
    utc_noon = dt.datetime(2025, 3, 5, 14, 0, tzinfo=dt.UTC)  # 22:00 in Shanghai
    assert in_quiet_hours(utc_noon, rules=RULES)
    assert not in_quiet_hours(utc_noon, rules=TimingRules(zone="UTC"))


def test_a_send_time_in_quiet_hours_moves_to_their_end():
    assert after_quiet_hours(at(5, 22, 15), rules=RULES) == at(6, 8, 0)  # evening: next morning
    assert after_quiet_hours(at(6, 3, 0), rules=RULES) == at(6, 8, 0)  # small hours: same morning
    assert after_quiet_hours(at(6, 9, 0), rules=RULES) == at(6, 9, 0)


def test_quiet_hours_inside_one_day_and_none_at_all():
    lunch = TimingRules(quiet_start=dt.time(12, 0), quiet_end=dt.time(14, 0))
    assert in_quiet_hours(at(5, 12, 30), rules=lunch) and not in_quiet_hours(at(5, 22, 0), rules=lunch)
    assert after_quiet_hours(at(5, 13, 0), rules=lunch) == at(5, 14, 0)
    never = TimingRules(quiet_start=dt.time(0, 0), quiet_end=dt.time(0, 0))
    assert not in_quiet_hours(at(5, 3, 0), rules=never)


def test_the_first_send_time_waits_for_48_hours_and_for_the_morning():
    # Discharged at 22:30: 48 h later is 22:30 again, in quiet hours, so the next morning at 08:00.
    late_discharge = at(3, 22, 30)
    assert first_send_time(not_before=late_discharge, discharged_at=late_discharge, rules=RULES) == at(
        6, 8, 0
    )
    # Drawn a week after discharge in the afternoon: now.
    assert first_send_time(not_before=at(10, 15), discharged_at=DISCHARGED, rules=RULES) == at(10, 15)


def test_no_send_time_once_the_six_weeks_are_over():
    assert (
        first_send_time(not_before=DISCHARGED + dt.timedelta(days=43), discharged_at=DISCHARGED, rules=RULES)
        is None
    )
    # The window's last evening falls in quiet hours: the next morning is already too late.
    evening = dt.datetime(2025, 3, 3, 22, 0, tzinfo=SH)
    last_evening = evening + dt.timedelta(days=42)
    assert first_send_time(not_before=last_evening, discharged_at=evening, rules=RULES) is None


def test_without_a_discharge_only_quiet_hours_apply():
    assert first_send_time(not_before=at(5, 23), discharged_at=None, rules=RULES) == at(6, 8)
    assert send_refusal(at=at(5, 10), discharged_at=None, rules=RULES) is None


def test_two_surveys_must_be_at_least_30_days_apart():
    first = at(1, 10)
    assert too_soon_after(other=first, at=first + dt.timedelta(days=29, hours=23), rules=RULES)
    assert not too_soon_after(other=first, at=first + dt.timedelta(days=30), rules=RULES)
    assert too_soon_after(other=first + dt.timedelta(days=10), at=first, rules=RULES)  # a planned later one


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        in_quiet_hours(dt.datetime(2025, 3, 5, 22, 0), rules=RULES)  # noqa: DTZ001 (the point of the test)
