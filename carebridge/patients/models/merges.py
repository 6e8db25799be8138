"""Merges of duplicate patient records, kept so that each can be undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.patients.models.patients import Patient


class PatientMerge(models.Model):
    """The merge of a duplicate record into a surviving one, with what moved, so it can be undone."""

    survivor = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_received")
    duplicate = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_given")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=255)
    # {"encounters": [ids], "phones": [ids], "primary_phones": [ids], "tags": [ids], "customers": [ids],
    #  "filled_fields": [names]}
    moved = models.JSONField(_("what moved"), default=dict)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unmerged_at = models.DateTimeField(_("unmerged at"), null=True, blank=True)
    unmerge_reason = models.CharField(_("unmerge reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("patient merge")
        verbose_name_plural = _("patient merges")

    def __str__(self) -> str:
        return f"{self.duplicate_id} → {self.survivor_id}"
