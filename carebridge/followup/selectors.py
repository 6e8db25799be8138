"""Reads of follow-up, each through the user's data scope (``core.scope.scope_for``).

Plans belong to the department of the stay: hospital-wide roles (agents, the quality office,
administrators) see every plan of the hospital; department roles (ward managers, clinicians, department
heads) the plans of their departments, plus any plan in which they own a touchpoint (a doctor's own
patients). Out of scope looks the same as absent: 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from carebridge.core.scope import scope_for
from carebridge.followup.choices import CALL_KINDS, OPEN_TOUCHPOINT, EscalationStep
from carebridge.followup.models import (
    CallAttempt,
    CallScript,
    CarePlan,
    FollowupPolicy,
    FollowupTier,
    TelephonyCall,
    TierRule,
    Touchpoint,
)

# A ringing or answered call pops up on the agent's page for this long.
SCREEN_POP_WINDOW = dt.timedelta(minutes=3)


def plan_list(*, user: Any) -> QuerySet[CarePlan]:
    if not user.has_perm("followup.view_careplan"):
        return CarePlan.objects.none()
    scope = scope_for(user)
    if scope.is_empty:
        return CarePlan.objects.none()
    queryset = scope.filter(CarePlan.objects.all(), hospital="hospital", department=None)
    if scope.department_ids is not None:
        owned = Touchpoint.objects.filter(owner__user=user).values("plan_id")
        queryset = queryset.filter(
            Q(department__in=scope.department_ids) | Q(owner__user=user) | Q(pk__in=owned)
        )
    return queryset


def plan_list_for_display(*, user: Any) -> QuerySet[CarePlan]:
    return plan_list(user=user).select_related("patient", "department", "ward", "owner", "tier_rule")


def plan_get(*, user: Any, pk: int) -> CarePlan:
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


def touchpoint_list(*, user: Any) -> QuerySet[Touchpoint]:
    """The touchpoints of the plans of :func:`plan_list`, with the scope as joins on the plan rather
    than ``plan IN (every plan in scope)``: at a million patients the subquery made the call queue
    twenty times slower than its SQL (bench/followup_queue.py)."""
    if not (user.has_perm("followup.view_touchpoint") and user.has_perm("followup.view_careplan")):
        return Touchpoint.objects.none()
    scope = scope_for(user)
    if scope.is_empty:
        return Touchpoint.objects.none()
    queryset = scope.filter(Touchpoint.objects.all(), hospital="plan__hospital", department=None)
    if scope.department_ids is not None:
        owned = Touchpoint.objects.filter(owner__user=user).values("plan_id")
        queryset = queryset.filter(
            Q(plan__department__in=scope.department_ids) | Q(plan__owner__user=user) | Q(plan_id__in=owned)
        )
    return queryset


def touchpoint_list_for_display(*, user: Any) -> QuerySet[Touchpoint]:
    return touchpoint_list(user=user).select_related(
        "plan__patient", "plan__department", "plan__ward", "plan__hospital", "owner", "claimed_by"
    )


def touchpoint_get(*, user: Any, pk: int) -> Touchpoint:
    touchpoint = (
        touchpoint_list_for_display(user=user)
        .prefetch_related(
            Prefetch("attempts", queryset=CallAttempt.objects.select_related("agent", "phone")),
            "attempts__issues__complaint",
            "transitions__actor",
            "plan__patient__phones",
        )
        .filter(pk=pk)
        .first()
    )
    if touchpoint is None:
        raise Http404("No such touchpoint in your scope.")
    return touchpoint


def call_queue(
    *, user: Any, now: dt.datetime | None = None, include_claimed: bool = False
) -> QuerySet[Touchpoint]:
    """The calls this user may make now: their own calls (a doctor's post-discharge calls) and, for the
    call centre, every unowned call in scope; soonest due first, then the higher tier.

    Never a patient without contact consent, nor one who died; not before the redial time; not a call
    someone else holds (unless ``include_claimed``: the claim service tells "taken" from "not yours")."""
    now = now or timezone.now()
    if not user.has_perm("followup.change_touchpoint"):
        return Touchpoint.objects.none()
    mine = Q(owner__user=user)
    if user.has_perm("followup.work_call_queue"):
        mine |= Q(owner__isnull=True)
    queryset = (
        touchpoint_list_for_display(user=user)
        .filter(mine)
        .filter(
            status__in=OPEN_TOUCHPOINT,
            kind__in=CALL_KINDS,
            step=EscalationStep.PHONE,
            plan__patient__contact_consent=True,
            plan__patient__deceased_at__isnull=True,
        )
        .filter(Q(available_at__isnull=True) | Q(available_at__lte=now))
    )
    if not include_claimed:
        queryset = queryset.filter(Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=user))
    return queryset.order_by("due_at", "tier_rank", "id")


def my_touchpoints(*, user: Any) -> QuerySet[Touchpoint]:
    """Open touchpoints the user owns that are not phone calls: interviews, talks, visits and letters."""
    return (
        touchpoint_list_for_display(user=user)
        .filter(owner__user=user, status__in=OPEN_TOUCHPOINT)
        .exclude(kind__in=CALL_KINDS, step=EscalationStep.PHONE)
        .order_by("due_at", "id")
    )


def attempt_list(*, user: Any) -> QuerySet[CallAttempt]:
    if not user.has_perm("followup.view_callattempt"):
        return CallAttempt.objects.none()
    return CallAttempt.objects.filter(touchpoint__in=touchpoint_list(user=user).values("pk"))


def script_for(touchpoint: Touchpoint) -> CallScript | None:
    return CallScript.objects.filter(hospital_id=touchpoint.plan.hospital_id, kind=touchpoint.kind).first()


def _hospital_scoped(queryset: QuerySet, user: Any, permission: str) -> QuerySet:
    if not user.has_perm(permission):
        return queryset.none()
    return scope_for(user).filter(queryset, hospital="hospital", department=None)


def tier_list(*, user: Any) -> QuerySet[FollowupTier]:
    return _hospital_scoped(
        FollowupTier.objects.prefetch_related("windows"), user, "followup.view_followuptier"
    ).order_by("hospital_id", "rank")


def tier_rule_list(*, user: Any) -> QuerySet[TierRule]:
    return _hospital_scoped(
        TierRule.objects.prefetch_related("departments"), user, "followup.view_tierrule"
    ).order_by("hospital_id", "priority", "id")


def policy_list(*, user: Any) -> QuerySet[FollowupPolicy]:
    return _hospital_scoped(FollowupPolicy.objects.all(), user, "followup.view_followuppolicy")


def screen_pop(*, user: Any, now: dt.datetime | None = None) -> TelephonyCall | None:
    """The call ringing (or just answered) for this agent, with the caller's patient if in scope."""
    now = now or timezone.now()
    if not user.has_perm("followup.work_call_queue") and not user.has_perm("followup.change_touchpoint"):
        return None
    scope = scope_for(user)
    calls = TelephonyCall.objects.filter(
        state__in=("ringing", "answered"), ringing_at__gte=now - SCREEN_POP_WINDOW
    ).filter(Q(agent=user) | Q(agent__isnull=True, agent_key=""))
    if scope.hospital_ids is not None:
        calls = calls.filter(Q(hospital_id__in=scope.hospital_ids) | Q(hospital__isnull=True))
    call = calls.select_related("patient").order_by("-ringing_at", "-id").first()
    if call is not None and call.patient_id is not None:
        from carebridge.patients.selectors.patients import patient_list

        if not patient_list(user=user).filter(pk=call.patient_id).exists():
            call.patient = None  # the number is known, but the record is not this user's to open
    return call
