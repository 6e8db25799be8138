"""Care plans (客户关系管理方案) per inpatient stay, their touchpoints, and the transition rows of both.

A plan is opened when an inpatient stay starts and owned by the ward's project manager; its touchpoints
come from the hospital's template (admission interview, pre-discharge interview, post-discharge call)
plus mid-stay talks scheduled before special examinations or medication, plus the tier's follow-up calls
created at discharge. Status changes go through ``services.transitions`` only, which writes a
:class:`CarePlanTransition` or :class:`TouchpointTransition` row (who, when, from, to, why) through
the life cycles of ``core.services.transitions``.
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff, Transition, Ward
from carebridge.core.scope import DataScope, ScopeLookups
from carebridge.followup.choices import (
    EscalationStep,
    MidStayTrigger,
    OwnerRule,
    PlanStatus,
    RecheckOutcome,
    StandaloneReason,
    TierCode,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.models.config import TierRule
from carebridge.patients.models import Encounter, Patient


class CustomerContact(TypedDict):
    name: str
    relationship: str
    phone: str  # stored whole, shown masked


class CustomerFile(TypedDict, total=False):
    """The customer file (客户数据档案) taken at the admission interview."""

    needs: list[str]
    expectations: str
    preferences: str
    contacts: list[CustomerContact]


class TierFacts(TypedDict, total=False):
    """What the tier policy saw at discharge, stored with the tier so the choice can be explained."""

    icd10: list[str]
    department: str
    surgery_grade: int | None
    critical: bool
    medication_flags: list[str]


def plans_in_scope(scope: DataScope, user: Any) -> Q:
    """The plans a user sees (``restrict()``): every plan of the hospitals in scope for hospital-wide
    roles; for department roles (ward managers, clinicians, department heads) the plans of their
    departments, plus any plan they own or own a touchpoint of (a doctor's own patients)."""
    condition = scope.q(hospital="hospital", department=None)
    if scope.department_ids is not None:
        owned = Touchpoint.objects.filter(owner__user=user).values("plan_id")
        condition &= Q(department__in=scope.department_ids) | Q(owner__user=user) | Q(pk__in=owned)
    return condition


def touchpoints_in_scope(scope: DataScope, user: Any) -> Q:
    """The touchpoints of the plans of :func:`plans_in_scope`, plus the standalone calls (no plan) of the
    hospitals in scope (department roles: of their departments, or their own). On the touchpoint's own
    hospital and department (copied from the plan) rather than ``plan IN (every plan in scope)``: at a
    million patients the subquery made the call queue twenty times slower than its SQL
    (bench/followup_queue.py)."""
    condition = scope.q(hospital="hospital", department=None)
    if scope.department_ids is not None:
        owned = Touchpoint.objects.filter(owner__user=user, plan__isnull=False).values("plan_id")
        condition &= (
            Q(department__in=scope.department_ids)
            | Q(owner__user=user)
            | Q(plan__owner__user=user)
            | Q(plan_id__in=owned)
        )
    return condition


class CarePlan(models.Model):
    """The relationship plan of one inpatient stay: owner, touchpoints, follow-up tier and why."""

    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="care_plans")
    encounter = models.OneToOneField(
        Encounter, on_delete=models.PROTECT, related_name="care_plan", verbose_name=_("inpatient stay")
    )
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="care_plans", verbose_name=_("patient")
    )
    # Copied from the stay: the data scope and the KPIs group by them without a join.
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="care_plans", verbose_name=_("department")
    )
    ward = models.ForeignKey(
        Ward,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="care_plans",
        verbose_name=_("ward"),
    )
    owner = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_care_plans",
        verbose_name=_("project manager"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.IN_STAY, db_index=True
    )
    admitted_at = models.DateTimeField(_("admitted at"))
    discharged_at = models.DateTimeField(_("discharged at"), null=True, blank=True, db_index=True)
    # The follow-up tier, set at discharge by the tier policy (or by hand, with a reason).
    tier = models.CharField(_("tier"), max_length=1, choices=TierCode.choices, blank=True, db_index=True)
    tier_rule = models.ForeignKey(
        TierRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matched rule"),
    )
    tier_reason = models.CharField(_("why this tier"), max_length=255, blank=True)
    tier_facts = models.JSONField(_("facts seen by the tier policy"), default=dict, blank=True)
    tier_assigned_at = models.DateTimeField(_("tier assigned at"), null=True, blank=True)
    medication_flags = models.JSONField(_("discharge medication"), default=list, blank=True)
    customer_file = models.JSONField(_("customer file"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_reason = models.CharField(_("closed because"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_lookups = ScopeLookups(rule=plans_in_scope)

    class Meta:
        ordering = ["-admitted_at", "-id"]
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        indexes = [
            models.Index(fields=["hospital", "status"], name="careplan_hospital_status_idx"),
            models.Index(fields=["department", "-admitted_at"], name="careplan_dept_time_idx"),
        ]
        permissions = [
            ("retier_careplan", _("Can change the follow-up tier of a care plan")),
            ("work_call_queue", _("Can claim and make the call centre's follow-up calls")),
            ("view_followup_kpis", _("Can view follow-up KPIs")),
        ]

    def __str__(self) -> str:
        return f"{self.patient.name} · {self.department.name} · {self.admitted_at:%Y-%m-%d}"


class CarePlanTransition(Transition):
    """One change of a plan's status or tier: who, when, from, to and why (``field`` says which).

    ``from_status`` and ``to_status`` hold a plan status or, for a tier row, a tier code."""

    FIELD_STATUS = "status"
    FIELD_TIER = "tier"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="transitions")
    field = models.CharField(
        _("what changed"),
        max_length=8,
        choices=[(FIELD_STATUS, _("status")), (FIELD_TIER, _("tier"))],
    )

    class Meta(Transition.Meta):
        verbose_name = _("care plan transition")
        verbose_name_plural = _("care plan transitions")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.field}: {self.from_status or '∅'} → {self.to_status}"

    def _label(self, value: str) -> str:
        choices = TierCode if self.field == self.FIELD_TIER else PlanStatus
        try:
            return str(choices(value).label)
        except ValueError:
            return value

    def from_label(self) -> str:
        """The state before, as the page shows it (a status label, or the tier)."""
        return self._label(self.from_status) if self.from_status else ""

    def to_label(self) -> str:
        return self._label(self.to_status)


# Touchpoints by due moment, those with none last on every database (SQLite puts NULLs first on its own);
# the call queue's order, the higher tier first among calls due together. PostgreSQL's own order for
# ascending values, so its indexes on these columns serve both.
BY_DUE = (models.F("due_at").asc(nulls_last=True), "id")
QUEUE_ORDER = (models.F("due_at").asc(nulls_last=True), "tier_rank", "id")


class Touchpoint(models.Model):
    """One planned contact (接触点): an interview, a talk, or a call with its attempts.

    Most belong to a care plan (an inpatient stay). A standalone call (``plan`` empty, kind
    ``standalone_call``) is made for another reason — an abnormal checkup finding, a recheck after a
    critical result — and points at what it came from through ``origin`` (any model); it still has its
    hospital, patient and (optionally) department, copied from the plan for plan touchpoints.

    Calls carry the queue fields: ``available_at`` (not to be dialled before: redial rules and calling
    hours), the atomic claim (``claimed_by`` until ``claimed_until``) and the escalation ``step``.
    """

    plan = models.ForeignKey(
        CarePlan, on_delete=models.CASCADE, null=True, blank=True, related_name="touchpoints"
    )
    hospital = models.ForeignKey(Hospital, on_delete=models.PROTECT, related_name="followup_touchpoints")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="followup_touchpoints", verbose_name=_("patient")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_touchpoints",
        verbose_name=_("department"),
    )
    # Standalone calls: why, and what they came from (a checkup visit, a critical result, …).
    reason = models.CharField(_("reason"), max_length=24, choices=StandaloneReason.choices, blank=True)
    origin_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    origin_id = models.PositiveBigIntegerField(null=True, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    origin_label = models.CharField(_("about"), max_length=255, blank=True)
    recheck_outcome = models.CharField(
        _("recheck outcome"), max_length=16, choices=RecheckOutcome.choices, blank=True
    )
    kind = models.CharField(_("kind"), max_length=32, choices=TouchpointKind.choices)
    sequence = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=128)
    owner_rule = models.CharField(_("done by"), max_length=16, choices=OwnerRule.choices)
    owner = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_touchpoints",
        verbose_name=_("owner"),
    )
    # The plan's tier when the touchpoint was made (follow-up calls), and its queue rank.
    tier = models.CharField(_("tier"), max_length=1, choices=TierCode.choices, blank=True)
    tier_rank = models.PositiveSmallIntegerField(_("queue rank"), default=99)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TouchpointStatus.choices,
        default=TouchpointStatus.SCHEDULED,
        db_index=True,
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    available_at = models.DateTimeField(_("not before"), null=True, blank=True)
    step = models.CharField(
        _("escalation step"), max_length=16, choices=EscalationStep.choices, default=EscalationStep.PHONE
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_touchpoints",
        verbose_name=_("claimed by"),
    )
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    # Mid-stay talks: what they prepare for, and when it happens.
    trigger = models.CharField(_("before"), max_length=24, choices=MidStayTrigger.choices, blank=True)
    event_at = models.DateTimeField(_("event at"), null=True, blank=True)
    event_description = models.CharField(_("event"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)
    # Structured answers: the customer file of the admission interview, the script answers of a call.
    data = models.JSONField(_("answers"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
    )
    closed_reason = models.CharField(_("closed because"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_lookups = ScopeLookups(rule=touchpoints_in_scope)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("touchpoint")
        verbose_name_plural = _("touchpoints")
        indexes = [
            models.Index(fields=["status", "step", "available_at"], name="touchpoint_queue_idx"),
            # The call queue's order, for the rows it can contain: open phone calls. Closed calls keep
            # their old due dates, so an index over every phone call made each claim walk the whole
            # history first (6,943 closed calls before the first open one in a 20,000-patient demo).
            models.Index(
                fields=["due_at", "tier_rank", "id"],
                name="touchpoint_open_queue_idx",
                condition=models.Q(step="phone", status__in=["scheduled", "in_progress"]),
            ),
            models.Index(fields=["plan", "kind"], name="touchpoint_plan_kind_idx"),
            # The follow-up rate by tier counts this month's due calls live (scorecards, cockpit).
            models.Index(fields=["kind", "tier", "due_at"], name="touchpoint_kind_tier_due_idx"),
            models.Index(fields=["origin_type", "origin_id"], name="touchpoint_origin_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "sequence"], name="touchpoint_plan_kind_sequence_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A plan touchpoint carries its plan's hospital, patient and department (scope and queue filters
        # read them without a join); callers may set them, this fills what they left out. A saved row has
        # them, so an update adds nothing here (the services write updates with
        # ``core.services.rows.update_saved``, which does not call this).
        if self.plan_id is not None and (self.hospital_id is None or self.patient_id is None):
            plan = self.plan
            assert plan is not None  # noqa: S101 - plan_id is set
            self.hospital_id = self.hospital_id or plan.hospital_id
            self.patient_id = self.patient_id or plan.patient_id
            self.department_id = self.department_id or plan.department_id
        super().save(*args, **kwargs)

    @property
    def is_standalone(self) -> bool:
        return self.plan_id is None

    @property
    def is_open(self) -> bool:
        from carebridge.followup.choices import OPEN_TOUCHPOINT

        return self.status in OPEN_TOUCHPOINT

    @property
    def is_call(self) -> bool:
        from carebridge.followup.choices import CALL_KINDS

        return self.kind in CALL_KINDS


class TouchpointTransition(Transition):
    """One change of a touchpoint's status or escalation step: who, when, from, to and why."""

    touchpoint = models.ForeignKey(Touchpoint, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=24, choices=TouchpointStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=TouchpointStatus.choices)
    from_step = models.CharField(_("from step"), max_length=16, choices=EscalationStep.choices, blank=True)
    to_step = models.CharField(_("to step"), max_length=16, choices=EscalationStep.choices, blank=True)

    class Meta(Transition.Meta):
        verbose_name = _("touchpoint transition")
        verbose_name_plural = _("touchpoint transitions")

    def __str__(self) -> str:
        return f"{self.touchpoint_id}: {self.from_status or '∅'} → {self.to_status}"
