"""The patient access log (PIPL: every view, reveal, export and merge of a record is logged)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.scope import ScopeLookups
from carebridge.patients.choices import AccessAction, AccessChannel
from carebridge.patients.models.patients import Patient


class PatientAccessLog(models.Model):
    """One row per view, reveal or export of a patient record (PIPL: every access is logged)."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("user"))
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="access_log")
    action = models.CharField(_("action"), max_length=16, choices=AccessAction.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=AccessChannel.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    fields = models.CharField(_("fields revealed"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    scope_lookups = ScopeLookups(hospital="patient__hospital")

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("patient access log entry")
        verbose_name_plural = _("patient access log")
        indexes = [models.Index(fields=["patient", "-at"], name="access_patient_time_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.patient_id}"
