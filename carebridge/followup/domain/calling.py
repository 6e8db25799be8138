"""When a follow-up call may be made and when a touchpoint is due: the hospital's calling hours (in its time
zone) and due times from the deadline engine."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from carebridge.core.deadlines import WorkCalendar, due_at
from carebridge.followup.models import FollowupPolicy


def _window(policy: FollowupPolicy, day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    return (
        dt.datetime.combine(day, policy.calling_start, tzinfo=zone),
        dt.datetime.combine(day, policy.calling_end, tzinfo=zone),
    )


def next_calling_time(*, after: dt.datetime, policy: FollowupPolicy, zone: str) -> dt.datetime:
    """``after`` if it falls within calling hours, else the start of the next calling window (UTC)."""
    tz = ZoneInfo(zone)
    local = after.astimezone(tz)
    start, end = _window(policy, local.date(), tz)
    if local < start:
        return start.astimezone(dt.UTC)
    if local <= end:
        return after.astimezone(dt.UTC)
    return _window(policy, local.date() + dt.timedelta(days=1), tz)[0].astimezone(dt.UTC)


def next_day_calling_start(*, after: dt.datetime, policy: FollowupPolicy, zone: str) -> dt.datetime:
    tz = ZoneInfo(zone)
    return _window(policy, after.astimezone(tz).date() + dt.timedelta(days=1), tz)[0].astimezone(dt.UTC)


def local_day_bounds(*, moment: dt.datetime, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The start and end (exclusive) of the hospital's calendar day around ``moment``."""
    tz = ZoneInfo(zone)
    day = moment.astimezone(tz).date()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def deadline(
    *, start: dt.datetime, amount: int, unit: str, zone: str, calendar: WorkCalendar | None = None
) -> dt.datetime:
    """A touchpoint's due time from the deadline engine (hours on the clock; days end at 23:59:59)."""
    if amount == 0:
        return start
    return due_at(start=start, amount=amount, unit=unit, zone=zone, calendar=calendar)
