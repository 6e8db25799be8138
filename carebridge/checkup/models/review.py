"""The chief examiner's tools: the editable advice library (finding → conclusion → advice and 健康处方),
the conclusions written for a visit, the versioned five-level risk rules (篇7 2.2.4) with their sources,
and the one-time links through which a report is released."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import Operator, RiskLevel, RuleSource
from carebridge.checkup.models.catalogue import Item
from carebridge.checkup.models.results import Result
from carebridge.checkup.models.visits import VISIT_SCOPE, Visit
from carebridge.core.models import Hospital
from carebridge.core.scope import ScopeLookups


class ResultCondition(models.Model):
    """ "This item, this condition": what an advice rule and a risk rule both test on one result."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    operator = models.CharField(_("condition"), max_length=10, choices=Operator.choices)
    threshold = models.DecimalField(_("threshold"), max_digits=12, decimal_places=4, null=True, blank=True)
    # Grades (the lowest matching grade first) or finding codes.
    codes = models.JSONField(_("grades or codes"), default=list, blank=True)

    class Meta:
        abstract = True


class AdviceRule(ResultCondition):
    """One entry of the advice library: a finding, its conclusion text, the advice and the health
    prescription it adds. Chief examiners edit the library; their suggestions come from it."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_advice_rules")
    code = models.CharField(_("code"), max_length=32)
    finding = models.CharField(_("finding"), max_length=128)
    conclusion = models.TextField(_("conclusion"))
    advice = models.TextField(_("advice"))
    prescriptions = models.JSONField(_("health prescription"), default=list, blank=True)
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "sequence", "code"]
        verbose_name = _("advice rule")
        verbose_name_plural = _("advice rules")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code"], name="checkup_advice_rule_code_unique")
        ]

    def __str__(self) -> str:
        return self.finding


class VisitFinding(models.Model):
    """A conclusion line of a visit (总检结论): the finding, what it means and what to do."""

    scope_lookups: ClassVar[ScopeLookups] = VISIT_SCOPE

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)
    finding = models.CharField(_("finding"), max_length=128)
    conclusion = models.TextField(_("conclusion"), blank=True)
    advice = models.TextField(_("advice"), blank=True)
    rule = models.ForeignKey(AdviceRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    result = models.ForeignKey(Result, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["visit_id", "sequence", "id"]
        verbose_name = _("conclusion line")
        verbose_name_plural = _("conclusion lines")

    def __str__(self) -> str:
        return self.finding


class RiskRuleSet(models.Model):
    """A version of the risk-stratification scheme (《疾病及相关危险因素分层预警方案》). The active version
    decides at sign-off; a visit keeps the version that decided its level."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_risk_rulesets")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=128)
    effective_from = models.DateField(_("effective from"))
    is_active = models.BooleanField(_("active"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["hospital_id", "-version"]
        verbose_name = _("risk rule set")
        verbose_name_plural = _("risk rule sets")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "version"], name="checkup_ruleset_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class RiskRule(ResultCondition):
    """A rule that puts a visit at a level (1–4; no match is level 5), citing where it comes from."""

    ruleset = models.ForeignKey(RiskRuleSet, on_delete=models.CASCADE, related_name="rules")
    level = models.PositiveSmallIntegerField(_("level"), choices=RiskLevel.choices)
    name = models.CharField(_("name"), max_length=128)
    source = models.CharField(_("source"), max_length=12, choices=RuleSource.choices)
    citation = models.CharField(_("citation"), max_length=255)
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["ruleset_id", "level", "sequence", "id"]
        verbose_name = _("risk rule")
        verbose_name_plural = _("risk rules")

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.name}"


class ReportRelease(models.Model):
    """A released report's one-time link: the first opening uses it up (that browser keeps access for a
    few hours); a new link is a new release row."""

    scope_lookups: ClassVar[ScopeLookups] = VISIT_SCOPE

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="releases")
    token = models.CharField(_("token"), max_length=43, unique=True)
    released_at = models.DateTimeField(_("released at"))
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField(_("link expires at"))
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=20, blank=True)

    class Meta:
        ordering = ["visit_id", "-released_at", "-id"]
        verbose_name = _("report release")
        verbose_name_plural = _("report releases")

    def __str__(self) -> str:
        return f"{self.visit_id} {self.released_at:%Y-%m-%d %H:%M}"
