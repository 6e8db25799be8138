"""Per-hospital configuration of complaint handling: time limits, the routing map and the category lexicon."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from carebridge.complaints.choices import Category
from carebridge.core.models import Department, Hospital, Staff


class ComplaintPolicy(models.Model):
    """A hospital's time limits for complaints (投诉处理时限); the 2019 rules' defaults when none is set."""

    hospital = models.OneToOneField(Hospital, on_delete=models.CASCADE, related_name="complaint_policy")
    feedback_working_days = models.PositiveSmallIntegerField(
        _("feedback due (working days)"),
        default=5,
        help_text=_("《医疗机构投诉管理办法》 Art. 34: simple cases are answered within 5 working days."),
    )
    feedback_working_days_multi = models.PositiveSmallIntegerField(
        _("feedback due when several departments are involved (working days)"),
        default=10,
    )
    acknowledgement_working_days = models.PositiveSmallIntegerField(
        _("acknowledgement due (working days)"),
        default=1,
        help_text=_("0 switches the acknowledgement deadline off."),
    )
    default_office = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default office"),
        help_text=_("Where categories without a routing rule go (医患办)."),
    )
    office_head = models.ForeignKey(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office head"),
        help_text=_("Receives the escalation of overdue complaints."),
    )

    class Meta:
        db_table = "desk_complaintpolicy"
        verbose_name = _("complaint policy")
        verbose_name_plural = _("complaint policies")

    def __str__(self) -> str:
        return str(self.hospital)


class RoutingRule(models.Model):
    """Which office handles a complaint category (e.g. 护理 → 护理部, 医德医风 → 纪检监察室)."""

    hospital = models.ForeignKey(Hospital, on_delete=models.CASCADE, related_name="complaint_routing")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    office = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )

    class Meta:
        db_table = "desk_routingrule"
        ordering = ["hospital_id", "category"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        constraints = [models.UniqueConstraint(fields=["hospital", "category"], name="routing_rule_unique")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} → {self.office}"


class CategoryKeyword(models.Model):
    """A term of the category lexicon: found in a text, it suggests a category (态度 → 服务态度)."""

    term = models.CharField(_("term"), max_length=32)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "desk_categorykeyword"
        ordering = ["category", "term"]
        verbose_name = _("category keyword")
        verbose_name_plural = _("category keywords")
        constraints = [models.UniqueConstraint(fields=["term", "category"], name="category_keyword_unique")]

    def __str__(self) -> str:
        return f"{self.term} → {self.get_category_display()}"
