"""Background jobs of complaints. Tasks are thin: they call a service (see services/escalation.py)."""

from __future__ import annotations

from celery import shared_task

from carebridge.complaints.services.escalation import complaints_escalate_overdue as escalate


@shared_task(name="carebridge.complaints.tasks.complaints_escalate_overdue")
def complaints_escalate_overdue() -> list[int]:
    """Every 15 minutes (beat schedule in settings): escalate overdue complaints, each exactly once."""
    return escalate()
