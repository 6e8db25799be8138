"""Choices of the performance app: staff standards, training, activities and campaign inspections (issue
16); the improvement action's life cycle (PDCA) and where it came from (issue 21)."""

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


class ActionStatus(models.TextChoices):
    """Plan → do → check → act (PDCA, 持续改进): an action ends done (its effect checked) or abandoned."""

    PLAN = "plan", _("Plan (计划)")
    DOING = "doing", _("Doing (实施)")
    CHECK = "check", _("Checking the effect (检查)")
    DONE = "done", _("Done (完成)")
    ABANDONED = "abandoned", _("Abandoned (放弃)")


OPEN_ACTION: frozenset[str] = frozenset({ActionStatus.PLAN, ActionStatus.DOING, ActionStatus.CHECK})

ACTION_MOVES: dict[str, frozenset[str]] = {
    ActionStatus.PLAN: frozenset({ActionStatus.DOING, ActionStatus.ABANDONED}),
    ActionStatus.DOING: frozenset({ActionStatus.CHECK, ActionStatus.ABANDONED}),
    # A check that shows no effect sends the action back to work (the "act" of PDCA) or ends it.
    ActionStatus.CHECK: frozenset({ActionStatus.DONE, ActionStatus.DOING, ActionStatus.ABANDONED}),
    ActionStatus.DONE: frozenset(),
    ActionStatus.ABANDONED: frozenset(),
}


class ActionSource(models.TextChoices):
    """What surfaced the problem the action fixes."""

    COMPLAINT = "complaint", _("Complaint root cause (投诉根因)")
    REPORT = "report", _("Problem in the monthly report (月报重点问题)")
    KPI = "kpi", _("Red KPI (红灯指标)")
    INSPECTION = "inspection", _("Inspection finding (检查发现)")
    DAILY_SYNC = "daily_sync", _("Ward daily sync (病区每日沟通)")
    MEETING = "meeting", _("Meeting or forum (例会/座谈会)")
    AUDIT = "audit", _("Mystery-patient audit (神秘患者暗访)")
    OTHER = "other", _("Other (其他)")


class EffectVerdict(models.TextChoices):
    IMPROVED = "improved", _("Improved (有改善)")
    NO_CHANGE = "no_change", _("No significant change (无显著变化)")
    WORSENED = "worsened", _("Worsened (变差)")
    INSUFFICIENT = "insufficient", _("Not enough data to judge (样本不足)")
