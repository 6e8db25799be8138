"""Chronic-disease programmes (慢病关系营销, 篇5 "对患有慢性病，需要长期就医的病人有效实施'关系营销'"):
patients with a configured diagnosis are enrolled into a long-term recall schedule — check-in calls,
recheck reminders, health-education invitations — that runs through the ordinary follow-up call queue
long after the 30-day window of the tiers. Each scheduled recall is a :class:`ProgrammeRecall` row and
the standalone call (``services.standalone``) it became; leaving the programme cancels the open calls.
"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Transition
from carebridge.core.scope import ScopeLookups
from carebridge.followup.choices import EnrolmentStatus, RecallKind
from carebridge.followup.models.plans import Touchpoint
from carebridge.patients.models import Patient


class RecallStep(TypedDict):
    """One step of a programme's schedule: ``day`` after enrolment, what kind, what the agent sees."""

    day: int
    kind: str  # RecallKind
    title: str


class ChronicProgramme(models.Model):
    """A chronic-disease programme: which diagnoses enrol a patient and the recall schedule."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="chronic_programmes")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chronic_programmes",
        verbose_name=_("department"),
    )
    # ICD-10 code prefixes that enrol a patient ("J45" asthma, "I10" hypertension, "E11" diabetes).
    icd10_prefixes = models.JSONField(_("ICD-10 prefixes"), default=list)
    max_age = models.PositiveSmallIntegerField(_("up to age (years)"), null=True, blank=True)
    schedule = models.JSONField(_("recall schedule"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chronic-disease programme")
        verbose_name_plural = _("chronic-disease programmes")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="programme_code_unique")]

    def __str__(self) -> str:
        return self.name


class ProgrammeEnrolment(models.Model):
    """A patient in a programme (one row per patient and programme; leaving and re-joining move it)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="department")

    programme = models.ForeignKey(
        ChronicProgramme, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("programme")
    )
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="programme_enrolments", verbose_name=_("patient")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    diagnosis_code = models.CharField(_("enrolling diagnosis"), max_length=16, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"))
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)
    leave_reason = models.CharField(_("why left"), max_length=255, blank=True)
    returned_at = models.DateTimeField(_("last return visit"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme enrolment")
        verbose_name_plural = _("programme enrolments")
        ordering = ["-enrolled_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "patient"], name="enrolment_once_per_programme")
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.patient_id}"


class EnrolmentTransition(Transition):
    enrolment = models.ForeignKey(ProgrammeEnrolment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=EnrolmentStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=EnrolmentStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("enrolment transition")
        verbose_name_plural = _("enrolment transitions")


class ProgrammeRecall(models.Model):
    """One step of an enrolment's schedule and the follow-up call that carries it."""

    enrolment = models.ForeignKey(ProgrammeEnrolment, on_delete=models.CASCADE, related_name="recalls")
    step = models.PositiveSmallIntegerField(_("step"))
    kind = models.CharField(_("kind"), max_length=16, choices=RecallKind.choices)
    title = models.CharField(_("title"), max_length=128)
    due_at = models.DateTimeField(_("due"))
    touchpoint = models.OneToOneField(
        Touchpoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="programme_recall"
    )

    class Meta:
        verbose_name = _("programme recall")
        verbose_name_plural = _("programme recalls")
        ordering = ["due_at", "id"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "step"], name="recall_step_unique")]

    def __str__(self) -> str:
        return self.title
