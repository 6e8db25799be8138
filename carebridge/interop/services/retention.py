"""Retention of the inbound log: accepted messages are kept ``INTEROP_RETENTION_DAYS`` days (what they
filed stays, with its own audit rows); failed and rejected ones stay until replayed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from carebridge.core.services.audit import audit_record
from carebridge.interop.choices import MessageStatus
from carebridge.interop.models import InboundMessage


@transaction.atomic
def messages_purge(*, now: dt.datetime | None = None, days: int | None = None) -> dict[str, int]:
    """Delete accepted messages received before the retention window; returns the count."""
    keep = dt.timedelta(days=days if days is not None else settings.INTEROP_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - keep
    old = InboundMessage.objects.filter(status=MessageStatus.ACCEPTED, received_at__lt=cutoff)
    deleted, _by_model = old.delete()
    if deleted:
        audit_record(
            actor=None,
            action="interop.message.purge",
            object_type="interop.inboundmessage",
            summary=f"{deleted} before {cutoff:%Y-%m-%d}",
        )
    return {"deleted": deleted}
