"""Call attempts (回访记录), the issues raised in them (closing the loop), and calls seen by the telephony
system (screen pop, recordings).

An attempt is one try on one channel (phone, SMS/WeChat, home visit, letter) with its outcome code; the
outcome drives the redial rules and the escalation chain (``services.calls``). Anything the patient raises
becomes a desk complaint (``complaint``) or a question routed to the department (``department``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.masking import mask_phone
from carebridge.core.models import Department, Hospital
from carebridge.followup.choices import (
    CallOutcome,
    ContactChannel,
    EscalationStep,
    IssueKind,
    IssueStatus,
    TelephonyState,
)
from carebridge.followup.models.plans import Touchpoint
from carebridge.patients.models import Patient, PatientPhone


class CallAttempt(models.Model):
    """One attempt to reach the patient for a touchpoint, and what came of it."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("at"), db_index=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_attempts",
        verbose_name=_("made by"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=ContactChannel.choices)
    step = models.CharField(_("escalation step"), max_length=16, choices=EscalationStep.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallOutcome.choices)
    phone = models.ForeignKey(
        PatientPhone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("number dialled"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # Answers to the call script: {"health_status": "…", "medication": "…", …}
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # From the telephony system (webhook): the vendor's call id, the recording and its length.
    call_id = models.CharField(_("call id"), max_length=128, null=True, blank=True, unique=True)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    # Messages: the gateway's reference of the SMS or WeChat message.
    message_reference = models.CharField(_("message reference"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")
        indexes = [models.Index(fields=["touchpoint", "at"], name="attempt_touchpoint_time_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_outcome_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def masked_phone(self) -> str:
        return self.phone.masked if self.phone is not None else ""


class CallIssue(models.Model):
    """Something raised during a call (a complaint, a need, a clinical question), and where it went."""

    attempt = models.ForeignKey(CallAttempt, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(_("kind"), max_length=24, choices=IssueKind.choices)
    text = models.TextField(_("what was raised"))
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_issues",
        verbose_name=_("department"),
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_issues",
        verbose_name=_("desk case"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    answer = models.TextField(_("answer"), blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    raised_at = models.DateTimeField(_("raised at"))

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("issue raised in a call")
        verbose_name_plural = _("issues raised in calls")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class TelephonyCall(models.Model):
    """A call as the telephony system reported it (one row per vendor call id; events are idempotent)."""

    call_id = models.CharField(_("call id"), max_length=128, unique=True)
    hospital = models.ForeignKey(
        Hospital, on_delete=models.CASCADE, null=True, blank=True, related_name="telephony_calls"
    )
    state = models.CharField(_("state"), max_length=16, choices=TelephonyState.choices)
    caller_number = models.CharField(_("caller number"), max_length=32, blank=True)
    # The agent's user name or extension as the switch reports it, and the user it names (if any).
    agent_key = models.CharField(_("agent"), max_length=64, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    patient = models.ForeignKey(
        Patient,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="telephony_calls",
        verbose_name=_("patient"),
    )
    attempt = models.ForeignKey(
        CallAttempt,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("call attempt"),
    )
    ringing_at = models.DateTimeField(_("ringing at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), null=True, blank=True)
    recording_url = models.URLField(_("recording"), max_length=500, blank=True)
    # The events received, in order, masked: [{"event": "ringing", "at": "…"}, …]
    events = models.JSONField(_("events"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("telephony call")
        verbose_name_plural = _("telephony calls")
        indexes = [models.Index(fields=["state", "ringing_at"], name="telephony_state_time_idx")]

    def __str__(self) -> str:
        return f"{self.call_id} {self.masked_caller}"

    @property
    def masked_caller(self) -> str:
        return mask_phone(self.caller_number)
