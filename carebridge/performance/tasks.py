"""Celery tasks of the performance app: thin and idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task

from carebridge.performance.services.inspections import findings_escalate_overdue


@shared_task(name="carebridge.performance.tasks.findings_escalate")
def findings_escalate() -> int:
    """Beat: hourly. A finding past its deadline is escalated once however often this runs."""
    return findings_escalate_overdue()
