"""Inquiries and triage (咨询分诊): the questions the desk answers, and where it sends people.

The seed's "living dictionary" at work: a question by channel, the answer, and the department, doctor or
external hospital recommended (转介, when the service is not offered here). Response time is
``answered_at - received_at``; an inquiry without an answer yet (a call-back promised) stays open and is
carried over at shift handover.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.scope import DataScope, ScopeLookups
from carebridge.frontdesk.choices import InquiryCategory, InquiryChannel
from carebridge.patients.models import Patient


def _inquiry_scope(scope: DataScope, user: Any) -> Q:
    """Inquiries are desk records of a hospital: hospital-wide roles see them all; anyone else only those
    they received or that recommended one of their departments."""
    condition = scope.q(hospital="hospital", department=None)
    if scope.department_ids is not None:
        condition &= Q(received_by=user) | Q(recommended_department__in=scope.department_ids)
    return condition


class Inquiry(models.Model):
    """One question to the service desk (咨询) and the answer given."""

    scope_lookups = ScopeLookups(rule=_inquiry_scope)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="inquiries")
    channel = models.CharField(_("channel"), max_length=16, choices=InquiryChannel.choices)
    category = models.CharField(_("category"), max_length=24, choices=InquiryCategory.choices)
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    asker_name = models.CharField(_("asked by"), max_length=64, blank=True)
    patient = models.ForeignKey(
        Patient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("patient"),
    )
    recommended_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommended_in_inquiries",
        verbose_name=_("recommended department"),
    )
    recommended_doctor = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommended_in_inquiries",
        verbose_name=_("recommended doctor"),
    )
    referred_hospital = models.ForeignKey(
        "knowledge.ExternalHospital",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred to (external hospital)"),
    )
    received_at = models.DateTimeField(_("received at"), db_index=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="received_inquiries",
        verbose_name=_("received by"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="answered_inquiries",
        verbose_name=_("answered by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        db_table = "desk_inquiry"
        ordering = ["-received_at", "-id"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            models.Index(fields=["hospital", "-received_at"], name="inquiry_hospital_time_idx"),
            models.Index(fields=["hospital", "answered_at"], name="inquiry_hospital_answered_idx"),
        ]
        permissions = [("view_inquiry_statistics", _("Can view inquiry statistics"))]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def response_time(self) -> dt.timedelta | None:
        return None if self.answered_at is None else self.answered_at - self.received_at
