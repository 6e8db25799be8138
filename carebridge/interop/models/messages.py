"""The inbound log: every message kept as received, with what became of it (收到即留存)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital, Transition
from carebridge.core.scope import ScopeLookups
from carebridge.interop.choices import AckCode, Channel, MessageStatus
from carebridge.interop.models.senders import Sender


class InboundMessage(models.Model):
    """One inbound message (HL7 v2, FHIR bundle or file) as received, its source key (sending facility
    + control id: MSH-4 + MSH-10), the acknowledgement sent, the outcome and what it created or changed.

    The source key is unique: a re-sent message finds its row and is answered with the same ACK."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="interop_messages"
    )
    sender = models.ForeignKey(
        Sender, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=64)
    control_id = models.CharField(_("control id"), max_length=64)
    message_type = models.CharField(_("message type"), max_length=24, blank=True)
    charset = models.CharField(_("character set"), max_length=16, blank=True)
    payload = models.BinaryField(_("message as received"))
    status = models.CharField(_("status"), max_length=16, choices=MessageStatus.choices, db_index=True)
    ack_code = models.CharField(_("acknowledgement"), max_length=2, choices=AckCode.choices)
    ack = models.TextField(_("acknowledgement sent"), blank=True)
    error_code = models.CharField(_("error code"), max_length=16, blank=True)
    error = models.TextField(_("reason"), blank=True)
    effects = models.JSONField(_("what it created or changed"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("times received"), default=1)
    received_at = models.DateTimeField(_("received at"), db_index=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    scope_lookups = ScopeLookups(hospital="hospital")

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        permissions = [
            ("replay_inboundmessage", _("Can replay a failed inbound message")),
            ("submit_messages", _("Can send messages to the interfaces (system accounts)")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "source", "control_id"], name="interop_message_source_key"
            )
        ]
        indexes = [models.Index(fields=["status", "-received_at"], name="interop_message_status_idx")]

    def __str__(self) -> str:
        return f"{self.source} {self.control_id} {self.message_type}"

    @property
    def text(self) -> str:
        """The message as text in its own character set (undecodable bytes shown as �)."""
        return bytes(self.payload).decode(self.charset or "utf-8", errors="replace")


class MessageTransition(Transition):
    """A change of a message's outcome (a replay)."""

    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=MessageStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=MessageStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("message status change")
        verbose_name_plural = _("message status changes")
