"""Retention of the inbound log: accepted messages past the window go, failed ones stay for replay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.interop.models import InboundMessage
from carebridge.interop.tasks import messages_purge

pytestmark = pytest.mark.django_db


def _message(control_id: str, status: str, age_days: int) -> InboundMessage:
    return InboundMessage.objects.create(
        channel="hl7",
        source="LXQ-LIS",
        control_id=control_id,
        payload=b"MSH|",
        status=status,
        ack_code="AA" if status == "accepted" else "AE",
        received_at=timezone.now() - dt.timedelta(days=age_days),
    )


def test_old_accepted_messages_are_purged_and_failed_ones_kept(settings):
    settings.INTEROP_RETENTION_DAYS = 30
    _message("old", "accepted", 40)
    _message("new", "accepted", 5)
    _message("old-failed", "failed", 400)

    assert messages_purge() == {"deleted": 1}
    assert sorted(InboundMessage.objects.values_list("control_id", flat=True)) == ["new", "old-failed"]
