"""Mystery-patient audits (神秘患者暗访, 篇3 4.3 "methods beyond questionnaires"): a round of unannounced
visits scored on a checklist instrument, one scored visit per department and service point. Results by
department and by service point come from :mod:`carebridge.surveys.selectors.audits`."""

from __future__ import annotations

from typing import ClassVar, TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital
from carebridge.core.scope import ScopeLookups


class ChecklistItem(TypedDict):
    code: str
    text: str
    weight: float


class AuditRound(models.Model):
    """One round of mystery-patient visits with its checklist (the instrument every visit is scored on)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="audit_rounds")
    name = models.CharField(_("name"), max_length=128)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    checklist = models.JSONField(_("checklist"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mystery-patient round")
        verbose_name_plural = _("mystery-patient rounds")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.name


class AuditVisit(models.Model):
    """One unannounced visit: where (department, service point), when, by which auditor (a code, never a
    name), the checklist answers (item code → met or not) and the weighted score 0–100."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="round__hospital", department="department")

    round = models.ForeignKey(AuditRound, on_delete=models.CASCADE, related_name="visits")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="audit_visits", verbose_name=_("department")
    )
    service_point = models.CharField(_("service point"), max_length=64)
    visited_at = models.DateTimeField(_("visited at"))
    auditor = models.CharField(_("auditor code"), max_length=32)
    answers = models.JSONField(_("answers"))
    score = models.FloatField(_("score (0–100)"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("mystery-patient visit")
        verbose_name_plural = _("mystery-patient visits")
        ordering = ["visited_at", "id"]

    def __str__(self) -> str:
        return f"{self.round} · {self.service_point}"
