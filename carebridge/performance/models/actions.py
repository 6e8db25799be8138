"""Improvement actions (持续改进, PDCA): a problem the platform surfaced, turned into work with an owner.

An action is raised from a source — a complaint's root cause, a problem in the monthly report, a red
KPI, an inspection finding, a point raised at a ward's daily sync, a meeting or an audit — and keeps a
generic link to it (``source``), so the source's page lists its actions and the action links back.
It names the measure it should move; the effect check compares that measure in two windows of the same
length before and after (``domain.effect``) and stores the result on the action.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff, Transition
from carebridge.core.scope import ScopeLookups
from carebridge.performance.choices import ActionSource, ActionStatus, EffectVerdict
from carebridge.performance.models.scorecards import KpiAssignment, Objective


class ImprovementAction(models.Model):
    """One improvement action: source, owner, department, due date, plan, measure, status, effect."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department="department")

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="improvement_actions")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="improvement_actions", verbose_name=_("department")
    )
    title = models.CharField(_("title"), max_length=200)
    plan = models.TextField(_("plan"), blank=True)
    owner = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="improvement_actions", verbose_name=_("owner")
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLAN, db_index=True
    )
    source = models.CharField(_("source"), max_length=16, choices=ActionSource.choices)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    source_label = models.CharField(_("raised from"), max_length=255, blank=True)
    # Where the action shows on the scorecard (a BSC "initiative" under its objective) and the KPI it should
    # move there; the effect check compares that KPI's figure before and after.
    objective = models.ForeignKey(
        Objective,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("scorecard objective"),
    )
    assignment = models.ForeignKey(
        KpiAssignment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name=_("KPI to move"),
    )
    # Or a measure of the platform's own data (a key of ``selectors.measures.MEASURES``).
    measure = models.CharField(_("measure to move"), max_length=48, blank=True)
    window_days = models.PositiveSmallIntegerField(_("comparison window (days)"), default=30)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("effect checked at"), null=True, blank=True)
    effect = models.JSONField(_("effect check"), default=dict, blank=True)
    verdict = models.CharField(_("verdict"), max_length=16, choices=EffectVerdict.choices, blank=True)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_to = models.ForeignKey(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated to"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="action_source_idx"),
            models.Index(fields=["hospital", "status", "due_date"], name="action_status_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.PLAN, ActionStatus.DOING, ActionStatus.CHECK)


class ActionTransition(Transition):
    """One change of an action's status (who, when, from, to, why)."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=ActionStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=ActionStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("action transition")
        verbose_name_plural = _("action transitions")
