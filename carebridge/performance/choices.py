"""Choices of the performance app: the improvement action's life cycle (PDCA) and where it came from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
