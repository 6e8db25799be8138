"""Background jobs of the service desk. Tasks are thin: they call a service (see services/escalation.py)."""

from __future__ import annotations

from celery import shared_task

from carebridge.desk.services.escalation import complaints_escalate_overdue as escalate


@shared_task(name="carebridge.desk.tasks.complaints_escalate_overdue")
def complaints_escalate_overdue() -> list[int]:
    """Every 15 minutes (beat schedule in settings): escalate overdue complaints, each exactly once."""
    return escalate()


@shared_task(name="carebridge.desk.tasks.handovers_open_due")
def handovers_open_due() -> list[int]:
    """Every five minutes (beat schedule in settings): open the handover of each shift that just ended."""
    from carebridge.desk.services.handover import handovers_open_due as open_due

    return open_due()
