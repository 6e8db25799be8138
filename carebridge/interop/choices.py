"""Choices of the interfaces: channels, outcomes of an inbound message and the moves between them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    HL7 = "hl7", _("HL7 v2 over MLLP")
    FHIR = "fhir", _("FHIR R4")
    CSV = "csv", _("CSV or Excel file")


class MessageStatus(models.TextChoices):
    """What became of an inbound message. ``accepted`` is final; a failed or rejected message may be
    replayed (after its mapping is fixed) and then becomes ``accepted`` or stays failed."""

    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Failed (application error)")
    REJECTED = "rejected", _("Rejected (cannot be parsed or not supported)")


MESSAGE_MOVES: dict[str, frozenset[str]] = {
    MessageStatus.FAILED: frozenset({MessageStatus.ACCEPTED, MessageStatus.FAILED, MessageStatus.REJECTED}),
    MessageStatus.REJECTED: frozenset({MessageStatus.ACCEPTED, MessageStatus.FAILED, MessageStatus.REJECTED}),
    MessageStatus.ACCEPTED: frozenset(),
}
DEAD_LETTER = frozenset({MessageStatus.FAILED, MessageStatus.REJECTED})


class AckCode(models.TextChoices):
    """HL7 v2 original-mode acknowledgement codes (MSA-1)."""

    AA = "AA", _("Application accept")
    AE = "AE", _("Application error")
    AR = "AR", _("Application reject")


ACK_STATUS = {
    AckCode.AA: MessageStatus.ACCEPTED,
    AckCode.AE: MessageStatus.FAILED,
    AckCode.AR: MessageStatus.REJECTED,
}
