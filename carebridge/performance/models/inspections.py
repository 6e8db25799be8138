"""Campaign inspections (双创/爱国卫生, seed 000 三2): rounds over areas with a checklist, findings
assigned to the responsible department head with a deadline, rectification evidence, verification by
the inspector, and one escalation when the deadline passes unrectified."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Transition
from carebridge.core.scope import ScopeLookups
from carebridge.performance.choices import FindingStatus, PhotoStage, RoundKind
from carebridge.performance.models.staffing import HOSPITAL_SCOPE

FINDING_SCOPE = ScopeLookups(hospital="hospital", department="department")


class InspectionArea(models.Model):
    """An area inspected (门诊大厅, 住院部三楼 …), the department responsible for it, and its checklist."""

    scope_lookups: ClassVar[ScopeLookups] = FINDING_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=64)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible department")
    )
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "name"]
        verbose_name = _("inspection area")
        verbose_name_plural = _("inspection areas")

    def __str__(self) -> str:
        return self.name


class InspectionRound(models.Model):
    """One inspection round (the Tuesday hospital-wide cleaning, a Friday, a spot check)."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("type"), max_length=16, choices=RoundKind.choices)
    held_on = models.DateField(_("date"), db_index=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    areas = models.ManyToManyField(InspectionArea, blank=True, related_name="rounds", verbose_name=_("areas"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Finding(models.Model):
    """A problem found in a round, for the department head to rectify by ``deadline``."""

    scope_lookups: ClassVar[ScopeLookups] = FINDING_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(InspectionRound, on_delete=models.PROTECT, related_name="findings")
    area = models.ForeignKey(
        InspectionArea, on_delete=models.PROTECT, related_name="findings", verbose_name=_("area")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    checklist_item = models.CharField(_("checklist item"), max_length=128, blank=True)
    description = models.TextField(_("description"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible head"),
    )
    deadline = models.DateField(_("deadline"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN, db_index=True
    )
    found_at = models.DateTimeField(_("found at"))
    rectified_at = models.DateTimeField(_("rectified at"), null=True, blank=True)
    rectification = models.TextField(_("rectification"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        permissions = [
            ("inspect_finding", _("Can record and verify inspection findings")),
            ("rectify_finding", _("Can rectify inspection findings of own departments")),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.description[:40]}"


def _photo_path(instance: FindingPhoto, filename: str) -> str:
    return f"performance/findings/{instance.finding_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class FindingPhoto(models.Model):
    """A photo of the problem or of its rectification (type and size checked)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(
        hospital="finding__hospital", department="finding__department"
    )

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=16, choices=PhotoStage.choices)
    file = models.FileField(_("file"), upload_to=_photo_path, max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("finding photo")
        verbose_name_plural = _("finding photos")

    def __str__(self) -> str:
        return self.original_name


class FindingTransition(Transition):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, blank=True, choices=FindingStatus.choices)
    to_status = models.CharField(_("to"), max_length=24, choices=FindingStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("finding transition")
        verbose_name_plural = _("finding transitions")
