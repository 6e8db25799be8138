"""Choices of staff standards, training, activities and campaign inspections (issue 16)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CriterionArea(models.TextChoices):
    """The four areas of the admission standard (准入标准: 个人品质、性格、能力、基础知识, 篇1 二1)."""

    QUALITIES = "qualities", _("Personal qualities")
    PERSONALITY = "personality", _("Personality")
    ABILITY = "ability", _("Ability")
    KNOWLEDGE = "knowledge", _("Basic knowledge")


class AssessmentKind(models.TextChoices):
    EXAM = "exam", _("Written exam")
    PRACTICAL = "practical", _("Practical test")
    ATTENDANCE = "attendance", _("Attendance only")


class ActivityKind(models.TextChoices):
    LECTURE = "lecture", _("Health lecture (健康讲座)")
    FREE_CLINIC = "free_clinic", _("Free clinic (义诊)")
    WELFARE_DAY = "welfare_day", _("Public-welfare day (公益日)")
    COMMUNITY = "community", _("Community service")
    CAMPAIGN = "campaign", _("Campaign task (双创)")
    MEDIA = "media", _("Media coverage")
    HONOUR = "honour", _("Honour")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RECTIFIED = "rectified", _("Rectified, awaiting verification")
    VERIFIED = "verified", _("Verified")


FINDING_MOVES: dict[str, frozenset[str]] = {
    FindingStatus.OPEN: frozenset({FindingStatus.RECTIFIED}),
    # The inspector sends a rectification back when the evidence does not convince.
    FindingStatus.RECTIFIED: frozenset({FindingStatus.VERIFIED, FindingStatus.OPEN}),
    FindingStatus.VERIFIED: frozenset(),
}
UNRESOLVED = (FindingStatus.OPEN, FindingStatus.RECTIFIED)


class RoundKind(models.TextChoices):
    """The 双创 cleaning rounds of seed 000: Tuesday hospital-wide, Friday voluntary, city-wide."""

    TUESDAY = "tuesday", _("Tuesday hospital-wide cleaning")
    FRIDAY = "friday", _("Friday voluntary cleaning")
    CITY = "city", _("City cleaning / on-duty week")
    SPOT = "spot", _("Spot check")


class PhotoStage(models.TextChoices):
    FINDING = "finding", _("Finding")
    RECTIFICATION = "rectification", _("Rectification evidence")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("All or nothing")
    VALID_ROWS = "valid", _("Valid rows only")
