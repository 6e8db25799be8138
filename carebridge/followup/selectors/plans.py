"""Reads of care plans, their touchpoints and call attempts, each through ``restrict()`` (the model's
permission and ``scope_lookups``).

Plans belong to the department of the stay: hospital-wide roles (agents, the quality office,
administrators) see every plan of the hospital; department roles (ward managers, clinicians, department
heads) the plans of their departments, plus any plan in which they own a touchpoint (a doctor's own
patients); the rule is ``models.plans.plans_in_scope``. Out of scope looks the same as absent: 404.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.followup.models import CallAttempt, CarePlan, Touchpoint


def plan_list(*, user: Actor) -> QuerySet[CarePlan]:
    return restrict(CarePlan.objects.all(), user)


def plan_list_for_display(*, user: Actor) -> QuerySet[CarePlan]:
    return plan_list(user=user).select_related("patient", "department", "ward", "owner", "tier_rule")


def plan_get(*, user: Actor, pk: int) -> CarePlan:
    """One plan in the user's scope with its touchpoints, attempts and history, or 404."""
    plan = (
        plan_list_for_display(user=user)
        .select_related("encounter__attending_doctor", "encounter__primary_nurse")
        .prefetch_related(
            Prefetch(
                "touchpoints",
                queryset=Touchpoint.objects.select_related("owner", "claimed_by").prefetch_related(
                    Prefetch(
                        "attempts",
                        queryset=CallAttempt.objects.select_related("agent", "phone").prefetch_related(
                            "issues__complaint", "issues__department"
                        ),
                    ),
                    "transitions__actor",
                ),
            ),
            "transitions__actor",
            "encounter__diagnoses",
        )
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such care plan in your scope.")
    return plan


def touchpoint_list(*, user: Actor) -> QuerySet[Touchpoint]:
    """The touchpoints of the plans of :func:`plan_list` (both permissions needed)."""
    if not user.has_perm("followup.view_careplan"):
        return Touchpoint.objects.none()
    return restrict(Touchpoint.objects.all(), user)


def touchpoint_list_for_display(*, user: Actor) -> QuerySet[Touchpoint]:
    return touchpoint_list(user=user).select_related(
        "plan__patient",
        "plan__department",
        "plan__ward",
        "plan__hospital",
        "patient",
        "department",
        "hospital",
        "owner",
        "claimed_by",
    )


def touchpoint_get(*, user: Actor, pk: int) -> Touchpoint:
    touchpoint = (
        touchpoint_list_for_display(user=user)
        .prefetch_related(
            Prefetch("attempts", queryset=CallAttempt.objects.select_related("agent", "phone")),
            "attempts__issues__complaint",
            "transitions__actor",
            "patient__phones",
        )
        .filter(pk=pk)
        .first()
    )
    if touchpoint is None:
        raise Http404("No such touchpoint in your scope.")
    return touchpoint


def attempt_list(*, user: Actor) -> QuerySet[CallAttempt]:
    if not user.has_perm("followup.view_callattempt"):
        return CallAttempt.objects.none()
    return CallAttempt.objects.filter(touchpoint__in=touchpoint_list(user=user).values("pk"))
