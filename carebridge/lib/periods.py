"""Calendar months in a hospital's time zone (no Django): the one definition of "a month" for reports,
KPIs and dashboards."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Month:
    """A calendar month in ``zone``, with its bounds in UTC (``start`` inclusive, ``end`` exclusive)."""

    first_day: dt.date
    start: dt.datetime
    end: dt.datetime

    @property
    def label(self) -> str:
        return f"{self.first_day:%Y-%m}"

    @property
    def chinese(self) -> str:
        return f"{self.first_day.year}年{self.first_day.month}月"

    def shifted(self, months: int, zone: ZoneInfo) -> Month:
        return month_of(add_months(self.first_day, months), zone)


def add_months(first_day: dt.date, months: int) -> dt.date:
    index = first_day.year * 12 + first_day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def next_month(first_day: dt.date) -> dt.date:
    return add_months(first_day.replace(day=1), 1)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_of(first_day: dt.date, zone: ZoneInfo) -> Month:
    first_day = first_day.replace(day=1)
    start = dt.datetime.combine(first_day, dt.time.min, tzinfo=zone).astimezone(dt.UTC)
    end = dt.datetime.combine(next_month(first_day), dt.time.min, tzinfo=zone).astimezone(dt.UTC)
    return Month(first_day=first_day, start=start, end=end)


def month_containing(moment: dt.datetime, zone: ZoneInfo) -> Month:
    return month_of(moment.astimezone(zone).date(), zone)


def parse_month_label(value: str | None) -> dt.date | None:
    """``"2026-03"`` → 2026-03-01; anything else (or a year outside 2000–2100) → ``None``."""
    match = _MONTH.match((value or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return dt.date(year, month, 1)


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """First days of the months from ``first`` to ``last``, both included."""
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months
