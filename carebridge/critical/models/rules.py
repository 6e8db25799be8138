"""Rule sets (危急值 / 重要异常结果 lists): versioned, with effective dates, each rule an item (or an item
category), an operator and a threshold in the item's canonical unit, a class and its source.

The default set is the seed's list (篇7 2.2.5) exactly; administrators may add sets (e.g. the 2019 expert
consensus) with their own effective dates. A result is judged by the set in force on its date.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import ItemCategory, SexScope
from carebridge.checkup.models import Item
from carebridge.core.models import Hospital
from carebridge.core.scope import ScopeLookups
from carebridge.critical.choices import (
    CLINICAL_LADDER,
    LadderStep,
    RuleOperator,
    RulePopulation,
    Severity,
)


class RuleSet(models.Model):
    """One version of a hospital's list, in force from ``effective_from`` until ``effective_to``."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="critical_rule_sets")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    population = models.CharField(
        _("judges the results of"),
        max_length=12,
        choices=RulePopulation.choices,
        default=RulePopulation.CHECKUP,
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until (exclusive)"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["hospital_id", "code", "-version"]
        verbose_name = _("critical-result rule set")
        verbose_name_plural = _("critical-result rule sets")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code", "version"], name="critical_ruleset_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Rule(models.Model):
    """One rule: which results (an item, or every item of a category), how they are compared, the class."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="rule_set__hospital", department=None)

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("item")
    )
    category = models.CharField(
        _("every item of category"), max_length=16, choices=ItemCategory.choices, blank=True
    )
    operator = models.CharField(_("operator"), max_length=12, choices=RuleOperator.choices)
    threshold = models.DecimalField(
        _("threshold (canonical unit)"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    # A grade (``++``) or a graded finding (``15-30``) for the grade operators.
    grade = models.CharField(_("grade"), max_length=16, blank=True)
    # Coded findings: ``code`` or ``ITEM:code`` (the same code means different things on different items).
    codes = models.JSONField(_("findings"), default=list, blank=True)
    severity = models.CharField(_("class"), max_length=1, choices=Severity.choices)
    sex = models.CharField(_("for"), max_length=3, choices=SexScope.choices, default=SexScope.ANY)
    age_min = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("below age"), null=True, blank=True)
    advice = models.TextField(_("advice"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["rule_set_id", "sequence", "id"]
        verbose_name = _("critical-result rule")
        verbose_name_plural = _("critical-result rules")
        constraints = [models.UniqueConstraint(fields=["rule_set", "code"], name="critical_rule_code_unique")]

    def __str__(self) -> str:
        return self.name


def clinical_ladder_default() -> list[str]:
    return list(CLINICAL_LADDER)


class ClassPolicy(models.Model):
    """Time limits and the escalation ladders of one class at one hospital: ``ladder`` for checkup
    customers, ``clinical_ladder`` for the results of inpatients and outpatients (ordering or attending
    doctor → ward nurse → department head)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(hospital="hospital", department=None)

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="critical_policies")
    severity = models.CharField(_("class"), max_length=1, choices=Severity.choices)
    first_attempt_minutes = models.PositiveIntegerField(_("first attempt within (minutes)"))
    read_back_minutes = models.PositiveIntegerField(_("read-back within (minutes)"))
    ladder = models.JSONField(_("escalation ladder"), default=list)
    clinical_ladder = models.JSONField(
        _("clinical escalation ladder"), default=clinical_ladder_default, blank=True
    )
    claim_minutes = models.PositiveSmallIntegerField(_("a claim lasts (minutes)"), default=30)

    class Meta:
        ordering = ["hospital_id", "severity"]
        verbose_name = _("class policy")
        verbose_name_plural = _("class policies")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "severity"], name="critical_policy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.hospital} {self.severity}"

    def ladder_labels(self) -> list[str]:
        labels = dict(LadderStep.choices)
        return [str(labels.get(step, step)) for step in self.ladder]

    def clinical_ladder_labels(self) -> list[str]:
        labels = dict(LadderStep.choices)
        return [str(labels.get(step, step)) for step in self.clinical_ladder]
