"""The nightly data-quality report of the registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital
from carebridge.core.scope import ScopeLookups


class DataQualityReport(models.Model):
    """The nightly check of the registry (missing contacts, invalid IDs, probable duplicates …)."""

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="quality_reports")
    run_at = models.DateTimeField(_("run at"), auto_now_add=True, db_index=True)
    patients = models.PositiveIntegerField(_("patients checked"))
    findings = models.JSONField(_("findings"), default=dict)
    broker = models.CharField(_("run by"), max_length=32, blank=True)

    scope_lookups = ScopeLookups(hospital="hospital")

    class Meta:
        ordering = ["-run_at"]
        verbose_name = _("data-quality report")
        verbose_name_plural = _("data-quality reports")

    def __str__(self) -> str:
        return f"{self.hospital} {self.run_at:%Y-%m-%d}"
