"""When a survey invitation may be sent (DESIGN §5.4 timing rules). Pure functions: no database, no Django.

Seed 003 §4.4 blames bad timing for distorted results: questionnaires handed out during treatment or at
rest hours, when patients are tense or impatient. The rules, each configurable on the wave:

* not earlier than ``min_hours`` after discharge (48 h: the patient is home and has had the first days of
  recovery) and not later than ``max_days`` after it (42 days: memories fade); the bounds are inclusive,
  so 48 h 00 min is allowed and 47 h 59 min is not;
* never during quiet hours in the hospital's zone (21:00–08:00 by default, an interval that may cross
  midnight): a send time that falls inside them moves to the moment they end;
* at most one survey per person per ``min_days_between`` days (30) across every wave of the hospital;
* never while the person is in treatment (decided by the caller, who knows the encounters).

Every datetime here is timezone-aware; naive input is a programming error and raises ``ValueError``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo


class Refusal(StrEnum):
    """Why an invitation may not be sent at a given moment."""

    TOO_EARLY = "too_early"
    TOO_LATE = "too_late"
    QUIET_HOURS = "quiet_hours"


@dataclass(frozen=True)
class TimingRules:
    """The timing rules of one wave, in the hospital's time zone."""

    min_hours_after_discharge: int = 48
    max_days_after_discharge: int = 42
    quiet_start: dt.time = dt.time(21, 0)
    quiet_end: dt.time = dt.time(8, 0)
    min_days_between_surveys: int = 30
    zone: str = "Asia/Shanghai"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)


def _aware(moment: dt.datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def earliest_send(*, discharged_at: dt.datetime, rules: TimingRules) -> dt.datetime:
    """The first moment after discharge at which a survey may be sent (inclusive)."""
    _aware(discharged_at, "discharged_at")
    return discharged_at + dt.timedelta(hours=rules.min_hours_after_discharge)


def latest_send(*, discharged_at: dt.datetime, rules: TimingRules) -> dt.datetime:
    """The last moment after discharge at which a survey may still be sent (inclusive)."""
    _aware(discharged_at, "discharged_at")
    return discharged_at + dt.timedelta(days=rules.max_days_after_discharge)


def in_quiet_hours(moment: dt.datetime, *, rules: TimingRules) -> bool:
    """Whether ``moment`` falls in the quiet hours (start inclusive, end exclusive), local time.

    ``quiet_start == quiet_end`` means there are no quiet hours.
    """
    _aware(moment, "moment")
    start, end = rules.quiet_start, rules.quiet_end
    if start == end:
        return False
    local = moment.astimezone(rules.tz).time().replace(tzinfo=None)
    if start < end:  # e.g. 12:00–14:00, inside one day
        return start <= local < end
    return local >= start or local < end  # e.g. 21:00–08:00, across midnight


def after_quiet_hours(moment: dt.datetime, *, rules: TimingRules) -> dt.datetime:
    """``moment`` itself, or the end of the quiet hours it falls in (in UTC)."""
    if not in_quiet_hours(moment, rules=rules):
        return moment
    tz = rules.tz
    local = moment.astimezone(tz)
    day = local.date()
    if rules.quiet_start > rules.quiet_end and local.time().replace(tzinfo=None) >= rules.quiet_start:
        day += dt.timedelta(days=1)  # evening part of an overnight interval: it ends tomorrow morning
    return dt.datetime.combine(day, rules.quiet_end, tzinfo=tz).astimezone(dt.UTC)


def first_send_time(
    *, not_before: dt.datetime, discharged_at: dt.datetime | None, rules: TimingRules
) -> dt.datetime | None:
    """The first allowed send time at or after ``not_before``, or None when the window has closed.

    ``discharged_at`` is the end of the encounter surveyed (None for staff and other customers: only
    quiet hours apply).
    """
    _aware(not_before, "not_before")
    moment = not_before
    if discharged_at is not None:
        moment = max(moment, earliest_send(discharged_at=discharged_at, rules=rules))
    moment = after_quiet_hours(moment, rules=rules)
    if discharged_at is not None and moment > latest_send(discharged_at=discharged_at, rules=rules):
        return None
    return moment


def send_refusal(*, at: dt.datetime, discharged_at: dt.datetime | None, rules: TimingRules) -> Refusal | None:
    """Why a message may not go out at ``at`` (None: it may). Checked again at the moment of sending."""
    _aware(at, "at")
    if discharged_at is not None:
        if at < earliest_send(discharged_at=discharged_at, rules=rules):
            return Refusal.TOO_EARLY
        if at > latest_send(discharged_at=discharged_at, rules=rules):
            return Refusal.TOO_LATE
    if in_quiet_hours(at, rules=rules):
        return Refusal.QUIET_HOURS
    return None


def interval_bounds(*, at: dt.datetime, rules: TimingRules) -> tuple[dt.datetime, dt.datetime]:
    """The open interval around ``at`` in which another survey of the same person breaks the cap.

    A survey at ``at − 30 days`` exactly is allowed again; one a minute later is not.
    """
    _aware(at, "at")
    span = dt.timedelta(days=rules.min_days_between_surveys)
    return at - span, at + span


def too_soon_after(*, other: dt.datetime, at: dt.datetime, rules: TimingRules) -> bool:
    """Whether a survey at ``other`` forbids one at ``at`` (fewer than ``min_days_between`` days apart)."""
    low, high = interval_bounds(at=at, rules=rules)
    return low < other < high
