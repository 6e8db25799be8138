"""The deadline engine (DESIGN §3): calendar or working days, Chinese statutory holidays and adjusted
working weekends, pauses, and every deadline of a case rather than only the nearest.

Rules, as the 2019 《医疗机构投诉管理办法》 and Chinese practice count time limits:
- the day a case is received is not counted (期间开始的日不计算在内); counting starts the next day;
- a deadline of N working days falls at the end (23:59:59, hospital time) of the N-th working day;
- a working day is a day that ``chinese-calendar`` marks as one (Mon–Fri except statutory holidays, plus
  adjusted working weekends), unless an administrator set that date in ``CalendarDay``; for years the
  package does not cover and no administrator has filled in, Monday to Friday count and
  :func:`uncovered_years` reports the gap so the admin page can warn;
- while a case is paused (e.g. waiting for the complainant), days do not count: a day is skipped when
  the case was paused at noon of that day.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

logger = logging.getLogger(__name__)

MAX_DAYS = 3660  # a deadline more than ten years out is a configuration error, not a deadline


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"


@dataclass(frozen=True)
class Pause:
    """A stretch during which the clock stops. A pause still running is given with ``end=now``."""

    start: dt.datetime
    end: dt.datetime

    def covers(self, moment: dt.datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class Deadline:
    """One deadline of a case: what it is for, when it is due, and how it was counted."""

    kind: str
    due: dt.datetime
    amount: int
    unit: Unit


class WorkCalendar:
    """Working days from ``chinese-calendar`` with administrator overrides (``CalendarDay`` rows)."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None) -> None:
        self.overrides = overrides or {}

    @classmethod
    def from_database(cls) -> WorkCalendar:
        from carebridge.core.models import CalendarDay

        return cls(dict(CalendarDay.objects.values_list("date", "is_workday")))

    def is_workday(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return _package_workday(day)

    def uncovered_years(self, years: Iterable[int]) -> list[int]:
        """Years neither the package nor the administrator's table covers (only weekends are known)."""
        covered_by_admin = {day.year for day in self.overrides}
        return [year for year in years if not _package_covers(year) and year not in covered_by_admin]


@lru_cache(maxsize=4096)
def _package_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


@lru_cache(maxsize=64)
def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def due_at(
    *,
    start: dt.datetime,
    amount: int,
    unit: Unit | str,
    zone: str = "Asia/Shanghai",
    pauses: Sequence[Pause] = (),
    calendar: WorkCalendar | None = None,
) -> dt.datetime:
    """When a time limit of ``amount`` ``unit`` that starts at ``start`` runs out (an aware datetime)."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if amount < 0:
        raise ValueError("amount must not be negative")
    unit = Unit(unit)
    tz = ZoneInfo(zone)
    if unit is Unit.HOURS:
        return _add_hours(start, amount, pauses)
    calendar = calendar or WorkCalendar()
    day = start.astimezone(tz).date()
    counted = 0
    for _ in range(MAX_DAYS):
        if counted == amount:
            break
        day += dt.timedelta(days=1)
        noon = dt.datetime.combine(day, dt.time(12), tzinfo=tz)
        if any(pause.covers(noon) for pause in pauses):
            continue
        if unit is Unit.CALENDAR_DAYS or calendar.is_workday(day):
            counted += 1
    else:
        raise ValueError("deadline too far away")
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz)


def _add_hours(start: dt.datetime, hours: int, pauses: Sequence[Pause]) -> dt.datetime:
    """Hours run on the clock; each paused stretch that begins before the deadline pushes it back."""
    due = start + dt.timedelta(hours=hours)
    for pause in sorted(pauses, key=lambda p: p.start):
        if pause.start >= due:
            break
        if pause.end > start:
            due += pause.end - max(pause.start, start)
    return due


def working_days_between(first: dt.date, last: dt.date, *, calendar: WorkCalendar | None = None) -> int:
    """Working days after ``first`` up to and including ``last`` (how late a case is, in working days)."""
    calendar = calendar or WorkCalendar()
    count, day = 0, first
    while day < last:
        day += dt.timedelta(days=1)
        count += calendar.is_workday(day)
    return count
