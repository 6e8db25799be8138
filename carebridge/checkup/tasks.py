"""Background jobs of the checkup centre. Tasks are thin and idempotent: they call a service and return
counts. Beat schedule (settings ``CELERY_BEAT_SCHEDULE``): ``visits_close_stale`` every night."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="carebridge.checkup.tasks.visits_close_stale")
def visits_close_stale() -> dict[str, int]:
    """Earlier days' visits still open are closed: the person left the centre, or did not come."""
    from carebridge.checkup.services.visits import visits_close_stale as close

    return close()
