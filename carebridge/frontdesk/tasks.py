"""Background jobs of the front desk. Tasks are thin: they call a service (see services/handover.py)."""

from __future__ import annotations

from celery import shared_task

from carebridge.frontdesk.services.handover import handovers_open_due as open_due


@shared_task(name="carebridge.frontdesk.tasks.handovers_open_due")
def handovers_open_due() -> list[int]:
    """Every five minutes (beat schedule in settings): open the handover of each shift that just ended."""
    return open_due()
