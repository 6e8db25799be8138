"""The ward programme's routines (篇4 1.1–1.2): the project manager's daily sync with the department head,
the attending doctor and the nurse "每天下班前", and the regular project-manager meetings and forums with
minutes and decisions. Issues raised at either become improvement actions (the performance app links
them back through its generic source)."""

from __future__ import annotations

from typing import ClassVar, TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.core.scope import ScopeLookups
from carebridge.followup.choices import MeetingKind


class SyncIssue(TypedDict):
    """A point raised at the daily sync: what, who owns it (staff id), resolved yet."""

    text: str
    owner: int | None
    resolved: bool


class WardSync(models.Model):
    """One daily sync (每日沟通) of a ward's project manager before the end of the day."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="department")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="ward_syncs", verbose_name=_("department")
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    held_on = models.DateField(_("held on"))
    project_manager = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("project manager")
    )
    attendees = models.ManyToManyField(Staff, related_name="ward_syncs", verbose_name=_("attended"))
    issues = models.JSONField(_("issues raised"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("daily ward sync")
        verbose_name_plural = _("daily ward syncs")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "ward", "held_on"], name="ward_sync_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.held_on:%Y-%m-%d}"


class WardMeeting(models.Model):
    """A project managers' meeting or a patients' and families' forum, with minutes and decisions."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    chaired_by = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("chaired by")
    )
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    minutes = models.TextField(_("minutes"))
    decisions = models.JSONField(_("decisions"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("programme meeting")
        verbose_name_plural = _("programme meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.title}"
