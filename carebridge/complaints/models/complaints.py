"""Complaints, compliments and suggestions (投诉/表扬/建议) under the 2019 《医疗机构投诉管理办法》.

The first receiver owns a case (首诉负责制) even when it is routed to the responsible office; its
status changes only through the transition service, which writes a :class:`ComplaintTransition` row and
recomputes the :class:`ComplaintDeadline` rows.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.complaints.choices import (
    CATEGORY_DOMAIN,
    OPEN_STATUSES,
    Category,
    Channel,
    ComplaintStatus,
    DeadlineKind,
    FeedbackKind,
    HcatDomain,
    RecoveryKind,
    RootCause,
    Severity,
)
from carebridge.core.masking import mask_phone
from carebridge.core.models import Department, Hospital, Staff, Transition
from carebridge.core.scope import DataScope, ScopeLookups
from carebridge.patients.choices import CustomerClass
from carebridge.patients.models import Customer, Patient


def _complaint_scope(scope: DataScope, user: Any) -> Q:
    """Hospital-wide roles see every case of their hospital; department-scoped roles the cases that involve
    one of their departments or that one of them handles; anyone in the hospital the cases they own."""
    condition = scope.q(hospital="hospital", department=None)
    if scope.department_ids is not None:
        involved = Complaint.objects.filter(
            Q(departments__in=scope.department_ids) | Q(responsible_office__in=scope.department_ids)
        ).values("pk")
        condition &= Q(pk__in=involved) | Q(owner=user)
    return condition


class Complaint(models.Model):
    """A complaint, compliment or suggestion, from any channel, with its complainant and life cycle."""

    scope_lookups = ScopeLookups(rule=_complaint_scope)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="complaints")
    reference = models.CharField(_("reference"), max_length=32, blank=True, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=FeedbackKind.choices, default=FeedbackKind.COMPLAINT
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_complaints",
        verbose_name=_("first receiver (owner)"),
    )
    # The complainant: a registered patient, another customer, or a name and phone typed in.
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("patient"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("customer"),
    )
    complainant_class = models.CharField(
        _("complainant class"), max_length=16, choices=CustomerClass.choices, default=CustomerClass.PATIENT
    )
    complainant_name = models.CharField(_("complainant name"), max_length=128)
    complainant_phone = models.CharField(_("complainant phone"), max_length=20, blank=True)
    content = models.TextField(_("content"))
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    suggested_category = models.CharField(
        _("suggested category"), max_length=32, choices=Category.choices, blank=True
    )
    # Why the category was suggested: [{"term": "态度", "category": "attitude", "weight": 2}, …]
    suggestion_evidence = models.JSONField(_("why it was suggested"), default=list, blank=True)
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.MINOR
    )
    departments = models.ManyToManyField(
        Department, blank=True, related_name="complaints", verbose_name=_("departments involved")
    )
    staff = models.ManyToManyField(
        Staff, blank=True, related_name="complaints", verbose_name=_("staff involved")
    )
    responsible_office = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="handled_complaints",
        verbose_name=_("responsible office"),
    )
    on_the_spot = models.BooleanField(_("resolved on the spot"), default=False)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    complainant_feedback = models.TextField(_("complainant feedback"), blank=True)
    complainant_satisfied = models.BooleanField(_("complainant satisfied"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    root_cause = models.CharField(_("root cause"), max_length=32, choices=RootCause.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set once, by an atomic claim, when the feedback deadline has passed (see services.escalation).
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "desk_complaint"
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["hospital", "status"], name="complaint_hospital_status_idx"),
            models.Index(fields=["hospital", "-received_at"], name="complaint_hospital_time_idx"),
        ]
        permissions = [
            ("close_complaint", _("Can close and reopen complaints")),
            ("export_complaints", _("Can export and print the complaint register")),
            ("view_complaint_statistics", _("Can view complaint statistics")),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.complainant_phone)

    @property
    def hcat_domain(self) -> str:
        return CATEGORY_DOMAIN.get(self.category, "")

    @property
    def hcat_domain_label(self) -> str:
        """The HCAT domain in the reader's language (临床 / 管理 / 关系)."""
        domain = CATEGORY_DOMAIN.get(self.category)
        return str(HcatDomain(domain).label) if domain else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ComplaintTransition(Transition):
    """One change of status: who, when, from, to and why."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=ComplaintStatus.choices)

    class Meta(Transition.Meta):
        db_table = "desk_complainttransition"
        verbose_name = _("complaint transition")
        verbose_name_plural = _("complaint transitions")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.from_status or '∅'} → {self.to_status}"


class ComplaintDeadline(models.Model):
    """A deadline of a case, recomputed by the service on every transition; ``met_at`` when it was kept."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=24, choices=DeadlineKind.choices)
    due = models.DateTimeField(_("due"), db_index=True)
    working_days = models.PositiveSmallIntegerField(_("working days"))
    met_at = models.DateTimeField(_("met at"), null=True, blank=True)

    class Meta:
        db_table = "desk_complaintdeadline"
        ordering = ["due", "id"]
        verbose_name = _("complaint deadline")
        verbose_name_plural = _("complaint deadlines")
        constraints = [
            models.UniqueConstraint(fields=["complaint", "kind"], name="complaint_deadline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due:%Y-%m-%d}"


class ComplaintPause(models.Model):
    """A stretch during which the clock stops (awaiting the complainant); ``ended_at`` empty while it runs."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=255)

    class Meta:
        db_table = "desk_complaintpause"
        ordering = ["started_at", "id"]
        verbose_name = _("complaint pause")
        verbose_name_plural = _("complaint pauses")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.started_at:%Y-%m-%d}"


class ComplaintNote(models.Model):
    """An investigation note (调查记录)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    at = models.DateTimeField(_("at"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))

    class Meta:
        db_table = "desk_complaintnote"
        ordering = ["at", "id"]
        verbose_name = _("investigation note")
        verbose_name_plural = _("investigation notes")

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.at:%Y-%m-%d}"


class RecoveryAction(models.Model):
    """A service-recovery action (服务补救): apology visit, re-printed films, refund, compensation …"""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="recovery_actions")
    kind = models.CharField(_("kind"), max_length=24, choices=RecoveryKind.choices)
    description = models.TextField(_("description"))
    cost = models.DecimalField(_("cost (yuan)"), max_digits=10, decimal_places=2, default=0)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "desk_recoveryaction"
        ordering = ["created_at", "id"]
        verbose_name = _("service-recovery action")
        verbose_name_plural = _("service-recovery actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.complaint_id})"


def _attachment_path(instance: ComplaintAttachment, filename: str) -> str:
    # The stored name never uses the uploader's file name (it may carry a patient's name).
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"desk/complaints/{instance.complaint_id}/{uuid.uuid4().hex}{suffix}"


class ComplaintAttachment(models.Model):
    """Evidence attached to a case: a photo, letter scan, document or recording (type and size checked)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        db_table = "desk_complaintattachment"
        ordering = ["uploaded_at", "id"]
        verbose_name = _("complaint attachment")
        verbose_name_plural = _("complaint attachments")

    def __str__(self) -> str:
        return self.original_name
