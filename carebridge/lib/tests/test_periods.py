"""Months in the hospital's zone: the one definition reports, KPIs and dashboards share."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from carebridge.lib.periods import (
    add_months,
    month_containing,
    month_of,
    months_between,
    next_month,
    parse_month_label,
)
from carebridge.lib.text import new_tokenizer
from carebridge.lib.timecheck import is_aware

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_month_starts_and_ends_at_local_midnight_in_utc():
    month = month_of(dt.date(2026, 11, 17), SHANGHAI)
    assert month.first_day == dt.date(2026, 11, 1)
    assert month.start == dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC)
    assert month.end == dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC)
    assert (month.label, month.chinese) == ("2026-11", "2026年11月")


def test_the_first_hours_of_a_local_month_belong_to_it():
    assert month_containing(dt.datetime(2026, 11, 30, 17, tzinfo=dt.UTC), SHANGHAI).label == "2026-12"


def test_months_shift_across_years():
    assert add_months(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)
    assert add_months(dt.date(2026, 1, 1), -1) == dt.date(2025, 12, 1)
    assert next_month(dt.date(2026, 12, 15)) == dt.date(2027, 1, 1)
    assert month_of(dt.date(2026, 1, 1), SHANGHAI).shifted(-1, SHANGHAI).label == "2025-12"


def test_a_month_label_is_parsed_or_refused():
    assert parse_month_label("2026-03") == dt.date(2026, 3, 1)
    assert [parse_month_label(v) for v in ("2026-13", "1999-01", "2026-3", "", None, "x")] == [None] * 6


def test_months_between_includes_both_ends():
    assert months_between(dt.date(2026, 11, 5), dt.date(2027, 1, 1)) == [
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
        dt.date(2027, 1, 1),
    ]


def test_aware_means_a_known_offset():
    assert is_aware(dt.datetime(2026, 1, 1, tzinfo=SHANGHAI))
    assert not is_aware(dt.datetime(2026, 1, 1))  # noqa: DTZ001 - the naive time under test


def test_each_tokenizer_keeps_its_own_words():
    medical = new_tokenizer([("腰椎管狭窄", 20000, None)])
    plain = new_tokenizer()
    assert "腰椎管狭窄" in medical.lcut("他有腰椎管狭窄")
    assert "腰椎管狭窄" not in plain.lcut("他有腰椎管狭窄")
