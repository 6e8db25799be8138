"""Scorecard periods (no Django): a month ``2026-03``, a quarter ``2026-Q1`` or a year ``2026``, as the
months they cover. Months are ``carebridge.lib.periods``' calendar months in the hospital's zone."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from carebridge.lib.periods import add_months, months_between, next_month, parse_month_label

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Span:
    kind: str
    first: dt.date  # first day of the first month
    last: dt.date  # first day of the last month

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{self.first:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"
        return f"{self.first.year}"

    @property
    def chinese(self) -> str:
        if self.kind == MONTH:
            return f"{self.first.year}年{self.first.month}月"
        if self.kind == QUARTER:
            return f"{self.first.year}年第{(self.first.month - 1) // 3 + 1}季度"
        return f"{self.first.year}年"

    def months(self) -> list[dt.date]:
        return months_between(self.first, self.last)

    def bounds(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """``[start, end)`` as aware datetimes in ``zone``."""
        start = dt.datetime.combine(self.first, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(next_month(self.last), dt.time.min, tzinfo=zone)
        return start, end

    def previous(self) -> Span:
        size = len(self.months())
        first = add_months(self.first, -size)
        return Span(self.kind, first, add_months(first, size - 1))


def month_span(first: dt.date) -> Span:
    first = first.replace(day=1)
    return Span(MONTH, first, first)


def parse_span(value: str | None) -> Span | None:
    """``2026-03`` → that month, ``2026-Q1`` → Jan–Mar, ``2026`` → the year; anything else → ``None``."""
    text = (value or "").strip()
    month = parse_month_label(text)
    if month is not None:
        return month_span(month)
    if match := _QUARTER.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        if not 2000 <= year <= 2100:
            return None
        first = dt.date(year, 3 * quarter - 2, 1)
        return Span(QUARTER, first, add_months(first, 2))
    if match := _YEAR.match(text):
        year = int(match.group(1))
        if not 2000 <= year <= 2100:
            return None
        return Span(YEAR, dt.date(year, 1, 1), dt.date(year, 12, 1))
    return None
