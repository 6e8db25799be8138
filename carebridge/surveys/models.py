"""Satisfaction measurement (满意度测评): instruments, waves, invitations and responses.

An :class:`Instrument` has numbered :class:`InstrumentVersion` rows. A version's ``definition`` is the
whole questionnaire as JSON (dimension → indicator → item with weights at each level, texts in Chinese
and English, skip logic; the schema is in ``instruments.py``); publishing derives one :class:`Item` row
per item, and the version becomes immutable once a response points at it (its ``content_hash`` is the
SHA-256 of the canonical definition).

A :class:`Wave` applies a version to a population with sampling, timing rules and channels. Each
invitee gets one :class:`Invitation` with a random token; a token answers once. A :class:`Response`
records its mode and, unless the wave is anonymous, its invitation and person. Anonymous waves keep
no link from answer to person: the response keeps only the wave, the stratum and the department.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.patients.models import Customer, Encounter, Patient
from carebridge.surveys.choices import (
    Channel,
    ExclusionReason,
    InstrumentKind,
    InvitationStatus,
    ItemType,
    MessageKind,
    MessageStatus,
    PopulationKind,
    RespondentClass,
    ResponseMode,
    SamplingMethod,
    TriggerKind,
    VersionStatus,
    WaveStatus,
)


class Instrument(models.Model):
    """A questionnaire, e.g. the inpatient experience survey; library instruments have no hospital."""

    hospital = models.ForeignKey(
        Hospital, on_delete=models.PROTECT, null=True, blank=True, related_name="instruments"
    )
    code = models.SlugField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("name in English"), max_length=128, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=InstrumentKind.choices)
    respondent_class = models.CharField(
        _("respondent class"), max_length=16, choices=RespondentClass.choices, default=RespondentClass.PATIENT
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code"], name="instrument_code_per_hospital")
        ]
        permissions = [("analyse_surveys", _("Can analyse survey results"))]

    def __str__(self) -> str:
        return self.name


class InstrumentVersion(models.Model):
    """One immutable-once-answered version of an instrument: the whole questionnaire as JSON."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    definition = models.JSONField(_("definition"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["instrument_id", "-number"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Refuse to change the definition of a published version or of one that has responses.

        The services already refuse; this guards direct saves (admin, shell, other code) as well.
        """
        if self.pk is not None and not self._state.adding:
            stored = InstrumentVersion.objects.filter(pk=self.pk).values_list("definition", "status").first()
            frozen = stored is not None and (stored[1] != VersionStatus.DRAFT or self.responses.exists())
            if frozen and stored is not None and stored[0] != self.definition:
                raise ValidationError(
                    {"definition": _("This version is published or answered and can no longer change.")}
                )
        super().save(*args, **kwargs)


class Item(models.Model):
    """One question of a published version, derived from its definition for analysis and exports."""

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("code"), max_length=32)
    position = models.PositiveIntegerField(_("position"))
    dimension = models.CharField(_("dimension"), max_length=32, blank=True)
    indicator = models.CharField(_("indicator"), max_length=32, blank=True)
    item_type = models.CharField(_("type"), max_length=16, choices=ItemType.choices)
    text = models.TextField(_("text"))
    text_en = models.TextField(_("text in English"), blank=True)
    scale_min = models.FloatField(_("lowest score"), null=True, blank=True)
    scale_max = models.FloatField(_("highest score"), null=True, blank=True)
    reverse = models.BooleanField(_("reverse-keyed"), default=False)
    required = models.BooleanField(_("required"), default=False)
    allows_na = models.BooleanField(_("offers “not applicable”"), default=False)
    # The item's weight within its indicator, and its effective weight in the overall index
    # (item × indicator × dimension weights, normalised); 0 for unscored items.
    weight = models.FloatField(_("weight"), default=1.0)
    overall_weight = models.FloatField(_("weight in the overall index"), default=0.0)

    class Meta:
        ordering = ["version_id", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="item_code_per_version")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Wave(models.Model):
    """A survey round: a version, a population, sampling, timing rules and channels."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="waves")
    name = models.CharField(_("name"), max_length=128)
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="waves")
    status = models.CharField(
        _("status"), max_length=12, choices=WaveStatus.choices, default=WaveStatus.DRAFT
    )
    respondent_class = models.CharField(
        _("respondent class"), max_length=16, choices=RespondentClass.choices, default=RespondentClass.PATIENT
    )
    population = models.CharField(_("population"), max_length=32, choices=PopulationKind.choices)
    departments = models.ManyToManyField(
        Department, blank=True, related_name="waves", verbose_name=_("departments")
    )
    # The period the population's encounters (or, for staff, nothing) fall in.
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    # Extra population conditions, e.g. {"employer": "某公司"} for checkup customers of an employer.
    population_filter = models.JSONField(_("population conditions"), default=dict, blank=True)
    sampling = models.CharField(
        _("sampling"), max_length=16, choices=SamplingMethod.choices, default=SamplingMethod.CENSUS
    )
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    seed = models.BigIntegerField(_("random seed"), default=20240101)
    # Timing rules (DESIGN §5.4 defaults).
    min_hours_after_discharge = models.PositiveIntegerField(
        _("not earlier than (hours after discharge)"), default=48
    )
    max_days_after_discharge = models.PositiveIntegerField(
        _("not later than (days after discharge)"), default=42
    )
    quiet_start = models.TimeField(_("quiet hours from"), default="21:00")
    quiet_end = models.TimeField(_("quiet hours until"), default="08:00")
    min_days_between_surveys = models.PositiveIntegerField(
        _("at most one survey per person per (days)"), default=30
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # Groups smaller than this are never reported (anonymous staff surveys: 5).
    min_report_group = models.PositiveIntegerField(_("smallest group reported"), default=5)
    invitation_valid_days = models.PositiveIntegerField(_("invitation valid for (days)"), default=14)
    reminder_days = models.JSONField(_("reminders after (days)"), default=list, blank=True)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_waves",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")

    def __str__(self) -> str:
        return self.name


class WaveTransition(models.Model):
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    from_status = models.CharField(_("from"), max_length=12, choices=WaveStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=WaveStatus.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.wave_id}: {self.from_status} → {self.to_status}"


class Stratum(models.Model):
    """One stratum of a stratified wave: who is in it, how many to invite, how many answers are wanted."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="strata")
    key = models.CharField(_("key"), max_length=64)
    label = models.CharField(_("label"), max_length=128)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target = models.PositiveIntegerField(_("invitations to draw"))
    quota = models.PositiveIntegerField(_("responses wanted"), null=True, blank=True)

    class Meta:
        ordering = ["wave_id", "key"]
        verbose_name = _("stratum")
        verbose_name_plural = _("strata")
        constraints = [models.UniqueConstraint(fields=["wave", "key"], name="stratum_key_per_wave")]

    def __str__(self) -> str:
        return self.label


class Exclusion(models.Model):
    """A person of the population who was not invited, and why (counted per wave and reason)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="exclusions")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=24, choices=ExclusionReason.choices)

    class Meta:
        verbose_name = _("exclusion")
        verbose_name_plural = _("exclusions")
        indexes = [models.Index(fields=["wave", "reason"], name="exclusion_wave_reason_idx")]

    def __str__(self) -> str:
        return f"{self.wave_id}: {self.get_reason_display()}"


class DoNotContact(models.Model):
    """A person who asked not to be surveyed or contacted (by patient, or by phone number)."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("do-not-contact entry")
        verbose_name_plural = _("do-not-contact list")

    def __str__(self) -> str:
        return self.reason or str(self.pk)


class Invitation(models.Model):
    """One invitee of a wave: one token, answerable once, until it expires."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(_("token"), max_length=43, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    encounter = models.ForeignKey(
        Encounter, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    stratum = models.ForeignKey(
        Stratum, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    # Not to be sent before this moment (48 h after discharge, outside quiet hours).
    send_after = models.DateTimeField(_("send after"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminder_at = models.DateTimeField(_("last reminder at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["wave_id", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [
            models.Index(fields=["wave", "status"], name="invitation_wave_status_idx"),
            models.Index(fields=["patient", "-created_at"], name="invitation_patient_time_idx"),
            models.Index(fields=["status", "send_after"], name="invitation_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.wave} #{self.pk}"


class InvitationTransition(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="transitions")
    at = models.DateTimeField(_("at"))
    from_status = models.CharField(_("from"), max_length=12, choices=InvitationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=InvitationStatus.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.from_status} → {self.to_status}"


class Message(models.Model):
    """An SMS (invitation or reminder) handed to the gateway, with its delivery status."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    to_masked = models.CharField(_("to"), max_length=20)
    text = models.TextField(_("text"))
    backend = models.CharField(_("gateway"), max_length=32)
    provider_id = models.CharField(_("gateway reference"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    error = models.CharField(_("error"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_masked}"


class ResponseDraft(models.Model):
    """Answers saved part-way (save and resume); deleted when the response is submitted."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE, related_name="draft")
    answers = models.JSONField(_("answers"), default=dict)
    page = models.PositiveSmallIntegerField(_("page"), default=0)
    started_at = models.DateTimeField(_("started at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    def __str__(self) -> str:
        return f"{self.invitation_id} p{self.page}"


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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.file_name
