"""Survey waves (调查批次): a version applied to a population, its life cycle, strata, the people it
excluded and the do-not-contact list."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff, Transition
from carebridge.core.scope import DataScope, ScopeLookups
from carebridge.patients.models import Customer, Patient
from carebridge.surveys.choices import (
    Channel,
    ExclusionReason,
    PopulationKind,
    RespondentClass,
    SamplingMethod,
    WaveStatus,
)
from carebridge.surveys.models.instruments import InstrumentVersion


def _waves_in_scope(scope: DataScope, user: Any) -> Q:
    """Waves of the user's hospital; for department roles, those covering one of their departments or the
    whole hospital (no departments chosen)."""
    condition = scope.q(hospital="hospital", department=None)
    if scope.department_ids is not None:
        covering = Wave.objects.filter(
            Q(departments__in=scope.department_ids) | Q(departments__isnull=True)
        ).values("pk")
        condition &= Q(pk__in=covering)
    return condition


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

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(rule=_waves_in_scope)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")

    def __str__(self) -> str:
        return self.name

    def channel_labels(self) -> list[str]:
        """The wave's channels as the pages show them (their labels, not the stored codes)."""
        labels = dict(Channel.choices)
        return [str(labels.get(code, code)) for code in self.channels]


class WaveTransition(Transition):
    """One move of a wave's life cycle (draft → open ⇄ closed): who, when, from, to and why."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=WaveStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=WaveStatus.choices)

    class Meta(Transition.Meta):
        pass

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
