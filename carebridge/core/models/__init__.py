"""Core models. ``models/__init__`` is the one package ``__init__`` that re-exports: Django finds an app's
models here, and callers import them as ``from carebridge.core.models import Hospital``."""

from carebridge.core.models.organisation import (
    AuditEvent,
    CalendarDay,
    Department,
    Hospital,
    Region,
    Staff,
    Ward,
)
from carebridge.core.models.outbox import OutboxMessage
from carebridge.core.models.transitions import Transition

__all__ = [
    "AuditEvent",
    "CalendarDay",
    "Department",
    "Hospital",
    "OutboxMessage",
    "Region",
    "Staff",
    "Transition",
    "Ward",
]
