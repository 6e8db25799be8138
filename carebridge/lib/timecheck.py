"""The aware-time check (no Django): a datetime carries a time zone when its ``utcoffset()`` is known."""

from __future__ import annotations

import datetime as dt


def is_aware(value: dt.datetime) -> bool:
    return value.tzinfo is not None and value.tzinfo.utcoffset(value) is not None
