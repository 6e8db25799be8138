"""Invitations: one token per invitee, its life cycle, the SMS sent for it and the answers saved part-way."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Staff, Transition, Ward
from carebridge.core.scope import ScopeLookups
from carebridge.patients.models import Customer, Encounter, Patient
from carebridge.surveys.choices import (
    Channel,
    InvitationStatus,
    MessageKind,
    MessageStatus,
)
from carebridge.surveys.models.waves import Stratum, Wave


class Invitation(models.Model):
    """One invitee of a wave: one token, answerable once, until it expires."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(_("token"), max_length=43, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    encounter = models.ForeignKey(
        Encounter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stratum = models.ForeignKey(
        Stratum, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    # Not to be sent before this moment (48 h after discharge, outside quiet hours).
    send_after = models.DateTimeField(_("send after"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminder_at = models.DateTimeField(_("last reminder at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="wave__hospital", department="department")

    class Meta:
        ordering = ["wave_id", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(fields=["wave", "status"], name="invitation_wave_status_idx"),
            models.Index(fields=["patient", "-created_at"], name="invitation_patient_time_idx"),
            models.Index(fields=["status", "send_after"], name="invitation_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"


class InvitationTransition(Transition):
    """One move of an invitation's life cycle; ``actor`` is empty for the machines (sender, gateway
    reports, answering page) that make most of them."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=InvitationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=InvitationStatus.choices)

    class Meta(Transition.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.from_status} → {self.to_status}"


class Message(models.Model):
    """An SMS (invitation or reminder) handed to the gateway, with its delivery status."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    to_masked = models.CharField(_("to"), max_length=20)
    text = models.TextField(_("text"))
    backend = models.CharField(_("gateway"), max_length=32)
    provider_id = models.CharField(_("gateway reference"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    error = models.CharField(_("error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_masked}"


class ResponseDraft(models.Model):
    """Answers saved part-way (save and resume); deleted when the response is submitted."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(_("answers"), default=dict)
    page = models.PositiveSmallIntegerField(_("page"), default=0)
    started_at = models.DateTimeField(_("started at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    def __str__(self) -> str:
        return f"{self.invitation_id} p{self.page}"
