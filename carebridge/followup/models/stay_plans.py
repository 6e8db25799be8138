"""The personalised stay plan (住院方案, 篇4 1.1(1)): made at admission by the ward's project manager
"与主管医师及护士共同为其定做住院方案" — with the attending doctor and the nurse, who are recorded as having
agreed it — as a list of items, each tracked to done. The introduction checklist of the admission
interview (experts, techniques, specialties, outcomes, prognosis, service flow) is kept on that
interview's ``Touchpoint.data["introduction"]``; see ``services.stay_plans``."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.models.transitions import Transition
from carebridge.core.scope import DataScope, ScopeLookups
from carebridge.followup.choices import StayItemStatus
from carebridge.followup.models.plans import CarePlan, plans_in_scope


def stay_plans_in_scope(scope: DataScope, user: Any) -> Q:
    """The stay plans of the care plans the user sees (``plans_in_scope``): a clinician who sees another
    department's care plan through one of its calls sees that plan's stay plan too. Hospital-wide roles
    read the stay plan's own hospital column (no subquery)."""
    if scope.department_ids is None:
        return scope.q(hospital="hospital", department=None)
    return Q(plan__in=CarePlan.objects.filter(plans_in_scope(scope, user)).values("pk"))


class StayPlan(models.Model):
    """The stay plan of one care plan, agreed by the attending doctor and the nurse."""

    # Visible exactly where its care plan is (``stay_plans_in_scope``); hospital and department are
    # copied from the care plan so hospital-wide scopes and lists read them without a join.
    scope_lookups: ClassVar[ScopeLookups] = ScopeLookups(rule=stay_plans_in_scope)

    plan = models.OneToOneField(
        CarePlan, on_delete=models.CASCADE, related_name="stay_plan", verbose_name=_("care plan")
    )
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("department")
    )
    project_manager = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project manager"),
    )
    doctor = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("agreed by the attending doctor")
    )
    nurse = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("agreed by the nurse")
    )
    agreed_at = models.DateTimeField(_("agreed at"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stay plan")
        verbose_name_plural = _("stay plans")
        ordering = ["-agreed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.plan} · {self.agreed_at:%Y-%m-%d}"


class StayPlanItem(models.Model):
    """One agreed item of a stay plan (an examination explained, a diet arranged, a family meeting …),
    with who does it, by when, and when it was done (or dropped, and why)."""

    stay_plan = models.ForeignKey(StayPlan, on_delete=models.CASCADE, related_name="items")
    sequence = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.CharField(_("item"), max_length=255)
    owner = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=StayItemStatus.choices, default=StayItemStatus.OPEN
    )
    closed_at = models.DateTimeField(_("done or dropped at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("stay plan item")
        verbose_name_plural = _("stay plan items")
        ordering = ["stay_plan", "sequence", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stay_plan", "sequence"], name="stay_item_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sequence}. {self.text}"


class StayItemTransition(Transition):
    """One change of a stay plan item's status: who closed or dropped it, when, from → to, and why."""

    item = models.ForeignKey(StayPlanItem, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=StayItemStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=StayItemStatus.choices)

    class Meta(Transition.Meta):
        verbose_name = _("stay plan item transition")
        verbose_name_plural = _("stay plan item transitions")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.from_status or '∅'} → {self.to_status}"
