"""A row whose values come in every type a writer of rows must adapt as Django would: the bulk loader's
``row_values`` and ``insert_together``'s values are both tested against Django's own on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from carebridge.core.choices import OutboxStatus
from carebridge.core.models import OutboxMessage


def mixed_message(next_attempt_at: dt.datetime, **values: Any) -> OutboxMessage:
    """An unsaved outbox message with a choices member, a numpy integer and a date in a date-time field
    (Django writes the last two differently from what was given), and ``next_attempt_at`` as given."""
    fields: dict[str, Any] = {
        "kind": "critical.sms",
        "reference": "CR-1",
        "channel": "sms",
        "to": "13800138000",
        "text": "请尽快复诊",
        "status": OutboxStatus.PENDING,  # a choices member, which Django passes as it is
        "attempts": np.int64(2),  # a numpy integer: Django's path makes it an int
        "next_attempt_at": next_attempt_at,
        "sent_at": dt.date(2026, 12, 2),  # a date in a date-time field: Django's path
    }
    return OutboxMessage(**{**fields, **values})
