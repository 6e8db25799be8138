"""The deadline engine counts working days across Chinese holidays and adjusted weekends, and pauses."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from carebridge.core.deadlines import Pause, Unit, WorkCalendar, due_at, working_days_between
from carebridge.core.models import CalendarDay

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(y, m, d, hour, tzinfo=SH)


def test_five_working_days_from_the_eve_of_national_day_skip_the_holiday_and_count_the_adjusted_saturday():
    # 2025: 1–8 October off (国庆+中秋); Saturday 11 October is an adjusted working day (调休上班).
    # Received Tue 30 Sep → 9 Oct (1), 10 Oct (2), Sat 11 Oct (3), 13 Oct (4), 14 Oct (5).
    due = due_at(start=at(2025, 9, 30, 16), amount=5, unit=Unit.WORKING_DAYS)
    assert due == dt.datetime(2025, 10, 14, 23, 59, 59, tzinfo=SH)


def test_ten_working_days_for_a_case_involving_several_departments():
    due = due_at(start=at(2025, 9, 30), amount=10, unit="working_days")
    assert due.date() == dt.date(2025, 10, 21)


def test_the_day_of_receipt_is_not_counted_and_the_deadline_is_the_end_of_the_day():
    due = due_at(start=at(2025, 11, 3, 8), amount=1, unit=Unit.WORKING_DAYS)  # a Monday
    assert due == dt.datetime(2025, 11, 4, 23, 59, 59, tzinfo=SH)


def test_a_utc_start_is_counted_in_the_hospital_time_zone():
    # 17:00 UTC on Friday 7 Nov is already Saturday 8 Nov in Shanghai: the next working day is Monday 10th.
    start = dt.datetime(2025, 11, 7, 17, tzinfo=dt.UTC)
    assert due_at(start=start, amount=1, unit=Unit.WORKING_DAYS).date() == dt.date(2025, 11, 10)


def test_calendar_days_ignore_holidays():
    assert due_at(start=at(2025, 9, 30), amount=5, unit=Unit.CALENDAR_DAYS).date() == dt.date(2025, 10, 5)


def test_a_pause_moves_the_deadline_by_the_working_days_it_covered():
    start = at(2025, 11, 3)  # Monday
    plain = due_at(start=start, amount=5, unit=Unit.WORKING_DAYS)
    assert plain.date() == dt.date(2025, 11, 10)
    paused = due_at(
        start=start,
        amount=5,
        unit=Unit.WORKING_DAYS,
        pauses=[Pause(start=at(2025, 11, 4, 9), end=at(2025, 11, 6, 9))],
    )  # Tue and Wed noon paused
    assert paused.date() == dt.date(2025, 11, 12)


def test_an_hours_deadline_is_pushed_back_by_the_paused_time():
    start = at(2025, 11, 3, 8)
    due = due_at(
        start=start,
        amount=24,
        unit=Unit.HOURS,
        pauses=[Pause(start=at(2025, 11, 3, 9), end=at(2025, 11, 3, 12))],
    )
    assert due == start + dt.timedelta(hours=27)


@pytest.mark.django_db
def test_an_administrator_can_add_the_holidays_of_a_year_the_package_does_not_know():
    # 2027 is not in chinese-calendar 1.11: Friday 1 Jan 2027 would count as a working day …
    calendar = WorkCalendar.from_database()
    assert calendar.uncovered_years([2026, 2027]) == [2027]
    assert due_at(
        start=at(2026, 12, 31), amount=1, unit=Unit.WORKING_DAYS, calendar=calendar
    ).date() == dt.date(2027, 1, 1)
    # … until the administrator enters 元旦.
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_workday=False, name="元旦")
    calendar = WorkCalendar.from_database()
    assert calendar.uncovered_years([2027]) == []
    assert due_at(
        start=at(2026, 12, 31), amount=1, unit=Unit.WORKING_DAYS, calendar=calendar
    ).date() == dt.date(2027, 1, 4)


def test_an_override_wins_over_the_package():
    calendar = WorkCalendar({dt.date(2025, 11, 4): False})
    assert due_at(
        start=at(2025, 11, 3), amount=1, unit=Unit.WORKING_DAYS, calendar=calendar
    ).date() == dt.date(2025, 11, 5)


def test_working_days_between_counts_how_late_a_case_is():
    assert working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 14)) == 5


def test_naive_starts_and_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="aware"):
        due_at(start=dt.datetime(2025, 11, 3, 10), amount=1, unit=Unit.WORKING_DAYS)  # noqa: DTZ001
    with pytest.raises(ValueError, match="negative"):
        due_at(start=at(2025, 11, 3), amount=-1, unit=Unit.WORKING_DAYS)
