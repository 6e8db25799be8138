"""Celery tasks of critical results: thin and idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task

from carebridge.critical.services.escalation import notifications_escalate_overdue


@shared_task(name="carebridge.critical.tasks.notifications_escalate")
def notifications_escalate() -> int:
    """Beat: every minute (a class-A target is minutes). Running it twice escalates nothing twice."""
    return notifications_escalate_overdue()
