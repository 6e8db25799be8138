"""Responses: completed questionnaires pointing at the exact version answered, their scored answers in long
format, and imported files of legacy responses."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Ward
from carebridge.core.scope import ScopeLookups
from carebridge.patients.models import Encounter, Patient
from carebridge.surveys.choices import (
    RespondentClass,
    ResponseMode,
)
from carebridge.surveys.models.instruments import InstrumentVersion, Item
from carebridge.surveys.models.invitations import Invitation
from carebridge.surveys.models.waves import Stratum, Wave


class Response(models.Model):
    """A completed questionnaire, in any mode, pointing at the exact version answered."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="survey_responses")
    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, null=True, blank=True, related_name="responses")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="responses")
    # Null in anonymous waves: nothing leads from the answers back to the person.
    invitation = models.OneToOneField(
        Invitation, on_delete=models.PROTECT, null=True, blank=True, related_name="response"
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses"
    )
    encounter = models.ForeignKey(
        Encounter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    respondent_class = models.CharField(
        _("respondent class"), max_length=16, choices=RespondentClass.choices, default=RespondentClass.PATIENT
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="survey_responses"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stratum = models.ForeignKey(
        Stratum, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    mode = models.CharField(_("mode"), max_length=8, choices=ResponseMode.choices)
    language = models.CharField(_("language"), max_length=8, default="zh-hans")
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), db_index=True)
    duration_seconds = models.PositiveIntegerField(_("time taken (s)"), null=True, blank=True)
    # {item code: value}; numbers for scored items, a list for multiple choice, text for comments,
    # "na" for "not applicable". The Answer rows repeat the scored values for SQL aggregation.
    answers = models.JSONField(_("answers"))
    # The weighted 0–100 index overall and per dimension, from the version's indicator system.
    score = models.FloatField(_("overall index (0–100)"), null=True, blank=True)
    dimension_scores = models.JSONField(_("dimension indexes"), default=dict, blank=True)
    # Patient-mix adjusters captured at submission: age band, sex, service line, response lag (days)…
    adjusters = models.JSONField(_("case-mix adjusters"), default=dict, blank=True)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Idempotency of imports: "<file sha>:<row>" or the legacy system's response id.
    source_key = models.CharField(_("source key"), max_length=128, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Hospital-wide users see every response of their hospital; department roles those of their departments.
    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="department")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        permissions = [("export_responses", _("Can export survey responses"))]
        indexes = [
            models.Index(fields=["wave", "submitted_at"], name="response_wave_time_idx"),
            models.Index(fields=["department", "submitted_at"], name="response_dept_time_idx"),
            models.Index(fields=["version", "submitted_at"], name="response_version_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.submitted_at:%Y-%m-%d}"


class Answer(models.Model):
    """One scored answer (long format), for distributions and aggregates in SQL."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answer_rows")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    value = models.FloatField(_("value"), null=True, blank=True)
    not_applicable = models.BooleanField(_("not applicable"), default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "item"], name="answer_once_per_item")]
        indexes = [models.Index(fields=["item", "value"], name="answer_item_value_idx")]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.item_id}={self.value}"


class ImportBatch(models.Model):
    """A file of legacy responses and its validation report (each rejected row with its reason)."""

    wave = models.ForeignKey(Wave, on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    # [{"row": 7, "column": "q3", "reason": "…"}, …]
    report = models.JSONField(_("validation report"), default=list, blank=True)
    committed = models.BooleanField(_("committed"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="wave__hospital")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.file_name
