"""Service recovery: the rules that open a desk case when a response arrives, and the cases they opened."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital
from carebridge.core.scope import ScopeLookups
from carebridge.surveys.choices import (
    TriggerKind,
)
from carebridge.surveys.models.instruments import Instrument
from carebridge.surveys.models.responses import Response


class RecoveryTrigger(models.Model):
    """A rule that opens a service-recovery case in the desk as soon as a matching response arrives."""

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="recovery_triggers")
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, null=True, blank=True, related_name="recovery_triggers"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=TriggerKind.choices)
    item_code = models.CharField(_("item"), max_length=32, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital")

    class Meta:
        verbose_name = _("recovery trigger")
        verbose_name_plural = _("recovery triggers")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item_code}".strip()


class RecoveryCase(models.Model):
    """The desk case a response opened, and which trigger fired."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="recovery_cases")
    trigger = models.ForeignKey(RecoveryTrigger, on_delete=models.PROTECT, related_name="+")
    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="survey_case"
    )
    evidence = models.CharField(_("why"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.response_id} → {self.complaint_id}"
