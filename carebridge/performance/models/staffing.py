"""Staff standards (篇1 二): desk posts, the admission standard and assessments against it, and post
assignments — the rotation history and the rotation plan (内部岗位轮换)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.scope import ScopeLookups
from carebridge.frontdesk.models import Shift
from carebridge.performance.choices import CriterionArea

HOSPITAL_SCOPE = ScopeLookups(hospital="hospital")
STAFF_SCOPE = ScopeLookups(hospital="staff__hospital", department="staff__home_department")


class Post(models.Model):
    """A desk post (岗位) staff rotate through: 导诊台, 咨询台, 投诉接待, 电话随访 …"""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    minimum_staff = models.PositiveSmallIntegerField(_("minimum staff per week"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "code"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["hospital", "code"], name="perf_post_code_unique")]

    def __str__(self) -> str:
        return self.name


class AdmissionCriterion(models.Model):
    """One requirement of the admission standard, scored by the assessor."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(_("area"), max_length=16, choices=CriterionArea.choices)
    name = models.CharField(_("criterion"), max_length=128)
    max_score = models.DecimalField(_("maximum score"), max_digits=5, decimal_places=1, default=Decimal(10))
    pass_score = models.DecimalField(_("pass score"), max_digits=5, decimal_places=1, default=Decimal(6))
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["hospital_id", "sequence", "id"]
        verbose_name = _("admission criterion")
        verbose_name_plural = _("admission criteria")

    def __str__(self) -> str:
        return self.name


class AdmissionAssessment(models.Model):
    """An assessment of a candidate or member of staff against the admission standard (准入评估)."""

    scope_lookups: ClassVar[ScopeLookups] = STAFF_SCOPE

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="admission_assessments")
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor")
    )
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("admission assessment")
        verbose_name_plural = _("admission assessments")

    def __str__(self) -> str:
        return f"{self.staff} {self.assessed_on}"


class AdmissionScore(models.Model):
    """The score of one criterion in an assessment."""

    assessment = models.ForeignKey(AdmissionAssessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(AdmissionCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["criterion__sequence", "id"]
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="perf_score_once_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class PostAssignment(models.Model):
    """A member of staff at a post from ``starts_on`` (to ``ends_on``): the rotation history, and, while
    ``planned``, the rotation plan. ``shift`` is the handover's shift the post is worked in."""

    scope_lookups: ClassVar[ScopeLookups] = STAFF_SCOPE

    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="post_assignments")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="assignments")
    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("shift")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"), null=True, blank=True)
    planned = models.BooleanField(_("planned"), default=False)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["staff_id", "starts_on", "id"]
        verbose_name = _("post assignment")
        verbose_name_plural = _("post assignments")

    def __str__(self) -> str:
        return f"{self.staff} → {self.post} {self.starts_on}"
