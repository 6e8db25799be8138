"""Notifications (危急值通知): one per person and visit listing every matching result, the attempts to
reach someone, the escalations to the supervisor, and the recheck that closes the clinical loop.

Created only by :mod:`carebridge.critical.services.detection`, inside the transaction that files the
result; changed only by the services of this app.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.models import Result, Visit
from carebridge.core.models import Department, Hospital, Transition
from carebridge.core.scope import ScopeLookups
from carebridge.critical.choices import (
    EscalationKind,
    LadderStep,
    NotificationStatus,
    Outcome,
    RecheckOutcome,
    Severity,
)
from carebridge.critical.models.rules import Rule, RuleSet
from carebridge.patients.models import Patient

NOTIFICATION_SCOPE = ScopeLookups(hospital="hospital", department="department")
CHILD_SCOPE = ScopeLookups(hospital="notification__hospital", department="notification__department")


class Notification(models.Model):
    """A person to reach about one or more critical or important abnormal results of a visit."""

    scope_lookups: ClassVar[ScopeLookups] = NOTIFICATION_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="critical_notifications")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="critical_notifications", verbose_name=_("centre")
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="critical_notifications")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="critical_notifications")
    rule_set = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")
    severity = models.CharField(_("class"), max_length=1, choices=Severity.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=NotificationStatus.choices, default=NotificationStatus.NEW
    )
    detected_at = models.DateTimeField(_("detected at"), db_index=True)
    first_attempt_due = models.DateTimeField(_("first attempt due"))
    read_back_due = models.DateTimeField(_("read-back due"))
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    first_attempt_at = models.DateTimeField(_("first attempt at"), null=True, blank=True)
    read_back_at = models.DateTimeField(_("read back at"), null=True, blank=True)
    read_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    read_back_to = models.CharField(_("communicated to"), max_length=64, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ladder_step = models.CharField(
        _("ladder step"), max_length=12, choices=LadderStep.choices, default=LadderStep.PERSON
    )
    corrected = models.BooleanField(_("re-evaluated after a correction"), default=False)

    class Meta:
        ordering = ["-detected_at", "-id"]
        verbose_name = _("critical-result notification")
        verbose_name_plural = _("critical-result notifications")
        permissions = [
            ("work_notification", "Work the critical-result queue"),
            ("signoff_notification", "Sign off a notification as unable to reach"),
            ("view_critical_kpis", "See critical-result timeliness"),
        ]
        indexes = [
            models.Index(fields=["status", "severity", "first_attempt_due"], name="critical_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.visit.number} {self.severity}"

    @property
    def is_open(self) -> bool:
        return self.status in (NotificationStatus.NEW, NotificationStatus.IN_PROGRESS)


class NotificationTransition(Transition):
    """Status history of a notification (and the notes of a re-evaluation after a correction)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=NotificationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=NotificationStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("notification transition")
        verbose_name_plural = _("notification transitions")


class Finding(models.Model):
    """One result that matched one rule; withdrawn when a correction no longer matches."""

    scope_lookups: ClassVar[ScopeLookups] = CHILD_SCOPE

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="findings")
    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="critical_findings")
    rule = models.ForeignKey(Rule, on_delete=models.PROTECT, related_name="findings")
    severity = models.CharField(_("class"), max_length=1, choices=Severity.choices)
    value = models.CharField(_("value"), max_length=128)
    reference = models.CharField(_("reference range"), max_length=64, blank=True)
    detected_at = models.DateTimeField(_("detected at"))
    is_current = models.BooleanField(_("current"), default=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["notification_id", "severity", "id"]
        verbose_name = _("critical finding")
        verbose_name_plural = _("critical findings")
        constraints = [
            models.UniqueConstraint(fields=["notification", "result", "rule"], name="critical_finding_unique")
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.value}"


class Attempt(models.Model):
    """One attempt to reach someone: when, who, the number dialled, the outcome and the read-back."""

    scope_lookups: ClassVar[ScopeLookups] = CHILD_SCOPE

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField(_("at"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step = models.CharField(_("ladder step"), max_length=12, choices=LadderStep.choices)
    number = models.CharField(_("number dialled"), max_length=32, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    answered_by = models.CharField(_("who answered"), max_length=64, blank=True)
    read_back = models.TextField(_("what they read back"), blank=True)
    advice = models.TextField(_("advice given"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["notification_id", "at", "id"]
        verbose_name = _("notification attempt")
        verbose_name_plural = _("notification attempts")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.outcome}"


class Escalation(models.Model):
    """A missed target told to the supervisor: once per notification and kind (the task may run twice)."""

    scope_lookups: ClassVar[ScopeLookups] = CHILD_SCOPE

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="escalations")
    kind = models.CharField(_("kind"), max_length=16, choices=EscalationKind.choices)
    at = models.DateTimeField(_("at"))
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["notification_id", "at", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(fields=["notification", "kind"], name="critical_escalation_once")
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} {self.kind}"


class Recheck(models.Model):
    """The recheck that closes the clinical loop: did they see a doctor, what was found."""

    scope_lookups: ClassVar[ScopeLookups] = CHILD_SCOPE

    notification = models.OneToOneField(Notification, on_delete=models.CASCADE, related_name="recheck")
    outcome = models.CharField(_("outcome"), max_length=16, choices=RecheckOutcome.choices)
    diagnosis = models.CharField(_("what was found"), max_length=255, blank=True)
    seen_on = models.DateField(_("seen on"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["notification_id"]
        verbose_name = _("recheck")
        verbose_name_plural = _("rechecks")

    def __str__(self) -> str:
        return f"{self.notification_id} {self.outcome}"
