"""Core background work: delivering the outbox. Tasks take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from carebridge.core.services.outbox import outbox_deliver_one, outbox_due


@shared_task(acks_late=True)
def outbox_deliver(message_id: int) -> str:
    message = outbox_deliver_one(message_id=message_id)
    return "skipped" if message is None else message.status


@shared_task
def outbox_sweep() -> int:
    """Deliver every due message (retries after back-off, and any whose task was lost)."""
    delivered = 0
    for message_id in outbox_due():
        if outbox_deliver_one(message_id=message_id) is not None:
            delivered += 1
    return delivered
