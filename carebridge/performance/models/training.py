"""Training (篇1 二2, 篇5, 篇6 (三)): courses with their hours and assessment, sessions delivered in
batches, attendance with exam scores, and the year's target and budget (5% of personnel spend)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Hospital, Staff
from carebridge.core.scope import ScopeLookups
from carebridge.performance.choices import AssessmentKind
from carebridge.performance.models.staffing import HOSPITAL_SCOPE, Post


class Course(models.Model):
    """A training course: content, hours, how it is assessed, and the posts for which it is mandatory."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=128)
    content = models.TextField(_("content"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    assessment = models.CharField(
        _("assessment"), max_length=16, choices=AssessmentKind.choices, default=AssessmentKind.EXAM
    )
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=1, null=True, blank=True)
    mandatory_for = models.ManyToManyField(
        Post, blank=True, related_name="mandatory_courses", verbose_name=_("mandatory for")
    )
    renew_months = models.PositiveSmallIntegerField(
        _("repeat every (months)"),
        default=12,
        help_text=_("A mandatory course is due again after this time."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="perf_course_code_unique")]

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    """One delivery of a course (a batch): when, who taught it, where, what it cost."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course")
    )
    held_on = models.DateField(_("date"), db_index=True)
    trainer = models.CharField(_("trainer"), max_length=64)
    place = models.CharField(_("place"), max_length=128, blank=True)
    cost = models.DecimalField(_("cost (yuan)"), max_digits=10, decimal_places=2, default=Decimal(0))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")

    def __str__(self) -> str:
        return f"{self.course} {self.held_on}"


class Attendance(models.Model):
    """A member of staff at a session, with the exam score where the course has one. ``passed`` is
    derived from the course's pass mark when the row is written."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(
        hospital="session__hospital", department="staff__home_department"
    )

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="training_attendances")
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        ordering = ["session_id", "staff__name", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "staff"], name="perf_attend_once")]

    def __str__(self) -> str:
        return f"{self.staff} @ {self.session}"


class TrainingYear(models.Model):
    """The year's plan: hours per person to reach, the personnel spend and the share of it budgeted for
    service-quality training (the seed's 5%)."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    hours_target = models.DecimalField(_("hours per person (target)"), max_digits=5, decimal_places=1)
    personnel_spend = models.DecimalField(_("personnel spend (yuan)"), max_digits=14, decimal_places=2)
    budget_share = models.DecimalField(
        _("training budget share"), max_digits=4, decimal_places=3, default=Decimal("0.050")
    )

    class Meta:
        ordering = ["hospital_id", "-year"]
        verbose_name = _("training year")
        verbose_name_plural = _("training years")
        constraints = [models.UniqueConstraint(fields=["hospital", "year"], name="perf_training_year_once")]

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def budget(self) -> Decimal:
        return (self.personnel_spend * self.budget_share).quantize(Decimal("0.01"))
