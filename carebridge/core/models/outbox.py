"""The outbox: every outbound message (SMS, WeChat template message, letter) is first a row written in
the transaction that decided to send it, then delivered by a Celery task, retried with back-off, and its
delivery status kept here. Nothing accepted for sending is lost when the gateway or the worker is down."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.choices import OutboxChannel, OutboxStatus


class OutboxMessage(models.Model):
    """One message to one recipient, with its delivery attempts' outcome.

    ``kind`` names the sender (``surveys.invitation``, ``followup.sms`` …) so the sender's result handler
    (:func:`carebridge.core.services.outbox.on_result`) can update its own rows; ``reference`` is the
    sender's key, also given to the gateway for delivery receipts.
    """

    kind = models.CharField(_("kind"), max_length=48, db_index=True)
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=OutboxChannel.choices)
    to = models.CharField(_("to"), max_length=32)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=12, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    backend = models.CharField(_("backend"), max_length=16, blank=True)
    provider_id = models.CharField(_("provider id"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=255, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} ({self.status})"
