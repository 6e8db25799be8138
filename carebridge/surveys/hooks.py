"""Registrations of the surveys app, imported by ``SurveysConfig.ready()``: the outbox result handler of
the survey SMS (invitations and reminders)."""

from __future__ import annotations

import logging

from carebridge.core.masking import mask_phone
from carebridge.core.messaging import MessageResult
from carebridge.core.models import OutboxMessage
from carebridge.core.services.outbox import on_result
from carebridge.surveys.services.invitations import OUTBOX_KIND, message_id_of, message_record_result

log = logging.getLogger(__name__)


@on_result(OUTBOX_KIND)
def survey_message_result(outbox_message: OutboxMessage, result: MessageResult) -> None:
    """Record what the gateway said on the survey ``Message`` (and a refused invitation SMS on its
    invitation), in the outbox's delivering transaction."""
    message_id = message_id_of(outbox_message.reference)
    if message_id is None:
        return
    log.info(
        "survey message %s to %s: %s",
        message_id,
        mask_phone(outbox_message.to),
        "accepted" if result.accepted else f"refused ({result.error})",
    )
    message_record_result(message_id=message_id, result=result)
