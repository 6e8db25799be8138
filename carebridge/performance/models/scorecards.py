"""Balanced scorecard (平衡计分卡): the KPI catalogue, scorecards as a tree perspective → objective → KPI
with weights, targets, bands and a scoring rule, the figures entered by hand, and the closed periods
whose scores are frozen as numbered versions.

A scorecard belongs to the hospital, a department, the customer-service centre (a department too) or a
staff member (seed 003 篇2, 篇7 2.1.1, 篇8 3; requirements §5). Computed KPIs are not stored here: the
registry in ``performance/selectors/kpis/`` computes them from the platform's own rows.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.scope import ScopeLookups

SCORECARD_SCOPE = ScopeLookups(hospital="hospital", department="department")


class KpiUnit(models.TextChoices):
    PERCENT = "percent", _("per cent")
    COUNT = "count", _("count")
    HOURS = "hours", _("hours")
    MINUTES = "minutes", _("minutes")
    DAYS = "days", _("days")
    INDEX = "index", _("index (0–100)")
    YUAN = "yuan", _("yuan")
    RATIO = "ratio", _("ratio")


class KpiDirection(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class KpiSource(models.TextChoices):
    COMPUTED = "computed", _("computed from the platform")
    MANUAL = "manual", _("entered by hand")
    IMPORTED = "imported", _("imported from Excel")


class KpiAggregation(models.TextChoices):
    """How months roll up into a quarter or a year."""

    RATE = "rate", _("numerator and denominator summed")
    SUM = "sum", _("sum of the months")
    MEAN = "mean", _("mean of the months")
    LAST = "last", _("last month's value")


class ScorecardLevel(models.TextChoices):
    HOSPITAL = "hospital", _("Hospital")
    DEPARTMENT = "department", _("Department")
    CENTRE = "centre", _("Customer-service centre")
    STAFF = "staff", _("Staff member")


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class PerspectiveKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial (财务)")
    CUSTOMER = "customer", _("Customer (客户)")
    INTERNAL = "internal", _("Internal process (内部运作流程/管理)")
    LEARNING = "learning", _("Learning and growth (学习与成长)")


class ScoringRule(models.TextChoices):
    LINEAR = "linear", _("Linear between minimum and target")
    CAPPED = "capped", _("Linear, capped at the target")
    STEPPED = "stepped", _("Stepped")


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed and frozen")


class Kpi(models.Model):
    """A KPI of the catalogue: what is counted (numerator, denominator), over which period and scope, in
    which direction and unit, and where the figure comes from (computed, by hand, Excel)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    definition = models.TextField(_("definition"), blank=True)
    numerator_text = models.CharField(_("numerator"), max_length=255, blank=True)
    denominator_text = models.CharField(_("denominator"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=16, choices=KpiUnit.choices, default=KpiUnit.PERCENT)
    direction = models.CharField(
        _("direction"), max_length=8, choices=KpiDirection.choices, default=KpiDirection.HIGHER
    )
    source = models.CharField(_("source"), max_length=16, choices=KpiSource.choices, default=KpiSource.MANUAL)
    aggregation = models.CharField(
        _("roll-up"), max_length=8, choices=KpiAggregation.choices, default=KpiAggregation.RATE
    )
    # Parameters a computed KPI reads (e.g. the ICD-10 prefixes of the specialty-disease group).
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPI catalogue")
        permissions = [
            ("view_scorecards", "Can view scorecards and KPI figures"),
            ("manage_scorecards", "Can design scorecards"),
            ("enter_kpi_values", "Can enter KPI figures by hand"),
            ("close_score_periods", "Can close periods and correct frozen scores"),
        ]

    def __str__(self) -> str:
        return self.name


class Scorecard(models.Model):
    """The scorecard of the hospital, a department, the customer-service centre or a staff member."""

    scope_lookups: ClassVar[ScopeLookups] = SCORECARD_SCOPE

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=16, choices=ScorecardLevel.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    staff = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    name = models.CharField(_("name"), max_length=128)
    status = models.CharField(
        _("status"), max_length=16, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["hospital_id", "level", "name", "id"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self) -> str:
        return self.name


class Perspective(models.Model):
    """One of the four perspectives of a scorecard, with its weight (perspectives sum to 100)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="perspectives")
    kind = models.CharField(_("perspective"), max_length=16, choices=PerspectiveKind.choices)
    name = models.CharField(_("name"), max_length=64)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["scorecard_id", "position", "id"]
        verbose_name = _("perspective")
        verbose_name_plural = _("perspectives")

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """A strategic objective under a perspective (objectives of a perspective sum to 100). Improvement
    actions (issue 21) hang off it."""

    perspective = models.ForeignKey(Perspective, on_delete=models.CASCADE, related_name="objectives")
    name = models.CharField(_("name"), max_length=128)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )

    class Meta:
        ordering = ["perspective_id", "position", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self) -> str:
        return self.name

    @property
    def scorecard(self) -> Scorecard:
        return self.perspective.scorecard


class KpiAssignment(models.Model):
    """A KPI placed under an objective with its weight (KPIs of an objective sum to 100), target,
    minimum, red/amber/green thresholds and scoring rule, and who owns and who updates the figure."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="assignments")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("KPI"))
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    minimum = models.DecimalField(
        _("minimum"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Scores 0 at or beyond this value (below it when higher is better)."),
    )
    green_from = models.DecimalField(
        _("green from"), max_digits=12, decimal_places=2, help_text=_("Green at this value or better.")
    )
    amber_from = models.DecimalField(
        _("amber from"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Amber at this value or better; worse is red."),
    )
    rule = models.CharField(
        _("scoring rule"), max_length=16, choices=ScoringRule.choices, default=ScoringRule.CAPPED
    )
    # Stepped rule: [[threshold, score], ...]: the score of the best threshold reached.
    steps = models.JSONField(_("steps"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    updater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )

    class Meta:
        ordering = ["objective_id", "position", "id"]
        verbose_name = _("KPI of a scorecard")
        verbose_name_plural = _("KPIs of scorecards")

    def __str__(self) -> str:
        return f"{self.kpi} → {self.objective}"


class KpiEntry(models.Model):
    """A figure entered by hand or imported (financial figures, attendance), for one KPI, one scorecard's
    scope and one month, with who entered it and when. A figure of a closed month is never edited: a
    correction is a new version of the period."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(
        hospital="scorecard__hospital", department="scorecard__department"
    )

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="entries")
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="entries")
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=16, choices=KpiSource.choices, default=KpiSource.MANUAL)
    source_key = models.CharField(_("source key"), max_length=128, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    entered_at = models.DateTimeField(_("entered at"))

    class Meta:
        ordering = ["scorecard_id", "kpi_id", "month"]
        verbose_name = _("KPI figure")
        verbose_name_plural = _("KPI figures")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "scorecard", "month"], name="perf_kpi_entry_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi} {self.month:%Y-%m}: {self.value}"


class ScorePeriod(models.Model):
    """A month of a scorecard that has been closed: its scores are frozen as version 1; a correction
    after closing adds a version with a reason. The newest version is what the scorecard shows."""

    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(
        hospital="scorecard__hospital", department="scorecard__department"
    )

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="periods")
    month = models.DateField(_("month"))
    status = models.CharField(
        _("status"), max_length=16, choices=PeriodStatus.choices, default=PeriodStatus.CLOSED
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("closed by")
    )
    closed_at = models.DateTimeField(_("closed at"))

    class Meta:
        ordering = ["scorecard_id", "month"]
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "month"], name="perf_score_period_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard} {self.month:%Y-%m}"


class ScoreVersion(models.Model):
    """One frozen version of a closed month's scores: every KPI's value, numerator, denominator, target,
    score and band, and the objective, perspective and total scores (``data``, see domain/scoring)."""

    period = models.ForeignKey(ScorePeriod, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("scores"))
    total = models.DecimalField(_("total score"), max_digits=7, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["period_id", "number"]
        verbose_name = _("score version")
        verbose_name_plural = _("score versions")
        constraints = [
            models.UniqueConstraint(fields=["period", "number"], name="perf_score_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.number}"


class KpiMonthValue(models.Model):
    """Precomputed monthly figure of a computed KPI for a scorecard's scope (refreshed by Celery beat),
    so the cockpit and a year of scores read one row per KPI and month instead of counting again."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="+")
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    numerator = models.DecimalField(_("numerator"), max_digits=16, decimal_places=4, null=True)
    denominator = models.DecimalField(_("denominator"), max_digits=16, decimal_places=4, null=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["scorecard_id", "kpi_id", "month"]
        verbose_name = _("precomputed KPI month")
        verbose_name_plural = _("precomputed KPI months")
        constraints = [
            models.UniqueConstraint(fields=["kpi", "scorecard", "month"], name="perf_kpi_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi_id} {self.month:%Y-%m}: {self.value}"


__all__ = [
    "Kpi",
    "KpiAggregation",
    "KpiAssignment",
    "KpiDirection",
    "KpiEntry",
    "KpiMonthValue",
    "KpiSource",
    "KpiUnit",
    "Objective",
    "PeriodStatus",
    "Perspective",
    "PerspectiveKind",
    "ScorePeriod",
    "ScoreVersion",
    "Scorecard",
    "ScorecardLevel",
    "ScorecardStatus",
    "ScoringRule",
]
