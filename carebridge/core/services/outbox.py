"""Sending through the outbox (DESIGN §3: side effects only after commit, nothing accepted is lost).

A sender calls :func:`outbox_enqueue` inside its own transaction: the row commits with the sender's
change, and a Celery task (:func:`carebridge.core.tasks.outbox_deliver`) is queued on commit. The task
claims the row, hands it to the gateway (:mod:`carebridge.core.messaging`), and records the result; a
refusal is retried with back-off up to ``MAX_ATTEMPTS`` and then marked failed. The beat job
``outbox_sweep`` re-queues rows whose next attempt is due (a lost task, a worker that died). Senders learn
the outcome by registering a result handler for their ``kind`` with :func:`on_result` (in their app's
``hooks.py``); it runs in the delivering transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from carebridge.core.choices import OutboxChannel, OutboxStatus
from carebridge.core.messaging import MessageResult, send_message
from carebridge.core.models import OutboxMessage

MAX_ATTEMPTS = 5
# Waits before the 2nd, 3rd … attempt: one minute, five, fifteen, an hour.
BACKOFF = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=15), dt.timedelta(hours=1))

ResultHandler = Callable[[OutboxMessage, MessageResult], None]
_handlers: dict[str, ResultHandler] = {}


def on_result(kind: str) -> Callable[[ResultHandler], ResultHandler]:
    """Register the handler that records a delivery result on the sender's own rows."""

    def decorator(handler: ResultHandler) -> ResultHandler:
        _handlers[kind] = handler
        return handler

    return decorator


def outbox_enqueue(
    *,
    kind: str,
    reference: str,
    to: str,
    text: str,
    channel: str = OutboxChannel.SMS,
    not_before: dt.datetime | None = None,
) -> OutboxMessage:
    """Write a message to the outbox in the caller's transaction; it is delivered after commit.

    ``reference`` is unique: enqueueing the same reference again returns the existing row (a retried
    request never sends twice).
    """
    message, created = OutboxMessage.objects.get_or_create(
        reference=reference,
        defaults={
            "kind": kind,
            "channel": channel,
            "to": to,
            "text": text,
            "next_attempt_at": not_before or timezone.now(),
        },
    )
    if created and (not_before is None or not_before <= timezone.now()):
        transaction.on_commit(lambda: _queue(message.pk))
    return message


def _queue(message_id: int) -> None:
    # By name: the task module imports this one, never the reverse.
    current_app.send_task("carebridge.core.tasks.outbox_deliver", args=[message_id])


def outbox_deliver_one(*, message_id: int, now: dt.datetime | None = None) -> OutboxMessage | None:
    """Deliver one due message; ``None`` when it is not due, already sent, or taken by another worker.

    The row is claimed by a conditional update (its attempt count moves on), so two workers that got the
    same task never both send it.
    """
    now = now or timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.filter(pk=message_id).first()
        if message is None or message.status != OutboxStatus.PENDING or message.next_attempt_at > now:
            return None
        claimed = OutboxMessage.objects.filter(
            pk=message_id, status=OutboxStatus.PENDING, attempts=message.attempts
        ).update(attempts=message.attempts + 1, next_attempt_at=now + _wait(message.attempts + 1))
        if not claimed:
            return None
    message.refresh_from_db()
    try:
        result = send_message(
            to=message.to, text=message.text, reference=message.reference, channel=message.channel
        )
    except Exception as error:  # a broken gateway is a refusal (retried, then failed), never a lost row
        result = MessageResult(False, str(settings.CAREBRIDGE["SMS"]["BACKEND"])[:16], error=str(error)[:255])
    with transaction.atomic():
        message.backend = result.backend
        if result.accepted:
            message.status, message.sent_at, message.provider_id, message.error = (
                OutboxStatus.SENT,
                timezone.now(),
                result.provider_id,
                "",
            )
        else:
            message.error = result.error[:255]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
        message.save(update_fields=["backend", "status", "sent_at", "provider_id", "error"])
        handler = _handlers.get(message.kind)
        if handler is not None and (result.accepted or message.status == OutboxStatus.FAILED):
            handler(message, result)
    return message


def _wait(attempt: int) -> dt.timedelta:
    return BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]


def outbox_due(*, now: dt.datetime | None = None, limit: int = 500) -> list[int]:
    """Ids of pending messages whose next attempt is due (for the sweep)."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(Q(status=OutboxStatus.PENDING) & Q(next_attempt_at__lte=now))
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def outbox_summary() -> dict[str, Any]:
    """Counts by status, for the health page and the admin."""
    return {status: OutboxMessage.objects.filter(status=status).count() for status in OutboxStatus.values}
