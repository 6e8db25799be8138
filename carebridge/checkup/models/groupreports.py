"""Employer group reports (团检报告, 篇7 2.2.2): the catalogue of reportable findings with their definitions
and explanations, the reference population (age × sex) and reference prevalence tables the unit is
compared with (data, each with its source and year; illustrative figures are marked as such), and the
expert advice written for a unit's year — versioned while a draft, released once.

The report itself is computed (``selectors.groupreports``), never stored: the numbers always follow the
results.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.models.customers import EmployerGroup
from carebridge.core.models import Hospital
from carebridge.core.scope import ScopeLookups

HOSPITAL_SCOPE = ScopeLookups(hospital="hospital", department=None)


class ReportableFinding(models.Model):
    """A condition the group report counts (高血压, 血脂异常, 脂肪肝 …): its definition in words, the
    criteria on results that make a person a case (``criteria``: any one matching is enough), the advice
    rules whose conclusion line also counts (``advice_codes``), and its explanation and prevention text.

    ``criteria``: ``[{"item": "SBP", "op": "gte", "value": 140}, {"item": "AFP", "op": "high"},
    {"item": "USABD", "op": "coded_in", "codes": ["fatty_liver"]}, {"item": "UA", "op": "gt",
    "value": 420, "sex": "M"}]``; a person is assessed when at least one criterion's item was resulted."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_report_findings")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    definition = models.TextField(_("definition"))
    explanation = models.TextField(_("explanation"))
    prevention = models.TextField(_("prevention"))
    criteria = models.JSONField(_("criteria on results"), default=list)
    advice_codes = models.JSONField(_("advice rules that also count"), default=list, blank=True)
    sequence = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["hospital_id", "sequence", "code"]
        verbose_name = _("reportable finding")
        verbose_name_plural = _("reportable findings")
        constraints = [
            models.UniqueConstraint(fields=["hospital", "code"], name="checkup_report_finding_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ReferencePopulation(models.Model):
    """A standard population by sex and age band (the weights of direct standardisation)."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_populations")
    name = models.CharField(_("name"), max_length=128)
    source = models.CharField(_("source"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    is_illustrative = models.BooleanField(
        _("illustrative figures"), default=False, help_text=_("Not a published figure: reports say so.")
    )
    is_default = models.BooleanField(_("used by the reports"), default=False)

    class Meta:
        ordering = ["hospital_id", "-is_default", "-year", "id"]
        verbose_name = _("reference population")
        verbose_name_plural = _("reference populations")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ReferenceStratum(models.Model):
    """One stratum of a reference population: sex, age band (``age_max`` empty: and over), size."""

    population = models.ForeignKey(ReferencePopulation, on_delete=models.CASCADE, related_name="strata")
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))])
    age_min = models.PositiveSmallIntegerField(_("from age"))
    age_max = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    size = models.PositiveIntegerField(_("people"))

    class Meta:
        ordering = ["population_id", "sex", "age_min"]
        verbose_name = _("reference stratum")
        verbose_name_plural = _("reference strata")
        constraints = [
            models.UniqueConstraint(
                fields=["population", "sex", "age_min"], name="checkup_reference_stratum_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sex} {self.age_min}–{self.age_max or ''}"


class ReferencePrevalence(models.Model):
    """A table of reference prevalences (e.g. the city's 健康白皮书), by finding, sex and age band."""

    scope_lookups: ClassVar[ScopeLookups] = HOSPITAL_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="checkup_prevalences")
    name = models.CharField(_("name"), max_length=128)
    source = models.CharField(_("source"), max_length=255)
    year = models.PositiveSmallIntegerField(_("year"))
    is_illustrative = models.BooleanField(
        _("illustrative figures"), default=False, help_text=_("Not a published figure: reports say so.")
    )
    is_default = models.BooleanField(_("used by the reports"), default=False)

    class Meta:
        ordering = ["hospital_id", "-is_default", "-year", "id"]
        verbose_name = _("reference prevalence table")
        verbose_name_plural = _("reference prevalence tables")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class ReferenceRate(models.Model):
    """One reference prevalence (a share, 0–1) of a finding in a sex and age band."""

    table = models.ForeignKey(ReferencePrevalence, on_delete=models.CASCADE, related_name="rates")
    finding = models.ForeignKey(ReportableFinding, on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(_("sex"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))])
    age_min = models.PositiveSmallIntegerField(_("from age"))
    age_max = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    rate = models.DecimalField(_("prevalence (share)"), max_digits=7, decimal_places=5)

    class Meta:
        ordering = ["table_id", "finding_id", "sex", "age_min"]
        verbose_name = _("reference prevalence")
        verbose_name_plural = _("reference prevalences")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "finding", "sex", "age_min"], name="checkup_reference_rate_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0) & models.Q(rate__lte=1), name="checkup_reference_rate_share"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.finding} {self.sex} {self.age_min}: {self.rate}"


class GroupReportAdvice(models.Model):
    """A version of the expert advice (专家建议) to a unit's head for one year: each save of the draft is
    a new version; releasing the latest freezes it (released once, never edited after)."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(
        hospital="group__hospital", department="group__department"
    )

    group = models.ForeignKey(EmployerGroup, on_delete=models.PROTECT, related_name="report_advice")
    year = models.PositiveSmallIntegerField(_("year"))
    version = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("expert advice"))
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["group_id", "year", "-version"]
        verbose_name = _("group report advice")
        verbose_name_plural = _("group report advice")
        constraints = [
            models.UniqueConstraint(fields=["group", "year", "version"], name="checkup_report_advice_unique")
        ]
        permissions = [("release_groupreportadvice", _("Can release a group report's expert advice"))]

    def __str__(self) -> str:
        return f"{self.group} {self.year} v{self.version}"
