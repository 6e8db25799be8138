"""Background jobs of the interfaces (thin, idempotent). Beat schedule (settings
``CELERY_BEAT_SCHEDULE``): ``messages_purge`` every night (retention of the inbound log)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="carebridge.interop.tasks.messages_purge")
def messages_purge() -> dict[str, int]:
    from carebridge.interop.services.retention import messages_purge as purge

    return purge()
