"""Discharge and follow-up tiers: the tier policy applied at discharge (with the rule and facts kept), the
post-discharge call and the tier's follow-up calls with their due dates, consent routing, and a manual
re-tier with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import transition_record
from carebridge.core.types import Actor
from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    EscalationStep,
    MedicationFlag,
    NoConsentRoute,
    OwnerRule,
    PlanStatus,
    TierCode,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.domain.calling import deadline, next_calling_time
from carebridge.followup.domain.tiers import tier_decide
from carebridge.followup.models import (
    CarePlan,
    CarePlanTransition,
    FollowupPolicy,
    FollowupTier,
    Touchpoint,
    TouchpointTemplate,
)
from carebridge.followup.services.admission import care_plan_create, template_for, touchpoint_from_template
from carebridge.followup.services.defaults import policy_for
from carebridge.followup.services.transitions import (
    PLAN_LIFECYCLE,
    moment,
    plan_move,
    plan_settle,
    touchpoint_move,
)
from carebridge.patients.models import Encounter
from carebridge.patients.services.encounters import encounter_discharge

# How early before its due date a later follow-up call (e.g. tier A's 30-day call) enters the queue.
LATER_CALL_LEAD = dt.timedelta(days=7)


def _tier_row(plan: CarePlan, code: str) -> FollowupTier | None:
    return (
        FollowupTier.objects.filter(hospital_id=plan.hospital_id, code=code)
        .prefetch_related("windows")
        .first()
    )


def _follow_up_calls(
    plan: CarePlan,
    *,
    tier: FollowupTier | None,
    policy: FollowupPolicy,
    actor: Actor | None,
    at: dt.datetime,
    skip: int = 0,
) -> list[Touchpoint]:
    """Create the tier's follow-up calls (the first ``skip`` windows are covered by calls kept)."""
    if tier is None:
        return []
    start = plan.discharged_at
    assert start is not None  # noqa: S101 - only called for discharged plans
    zone = plan.hospital.time_zone
    next_sequence = (
        max(
            plan.touchpoints.filter(kind=TouchpointKind.FOLLOW_UP_CALL).values_list("sequence", flat=True),
            default=0,
        )
        + 1
    )
    made = []
    for window in list(tier.windows.all())[skip:]:
        due = deadline(start=start, amount=window.amount, unit=window.unit, zone=zone)
        available = start if window.sequence == 1 else max(start, due - LATER_CALL_LEAD)
        template = TouchpointTemplate(
            kind=TouchpointKind.FOLLOW_UP_CALL,
            title=f"{tier.name} · {window.sequence}"[:128],
            owner_rule=OwnerRule.CALL_CENTRE,
        )
        touchpoint = touchpoint_from_template(
            plan,
            template,
            actor=actor,
            at=at,
            sequence=next_sequence,
            tier=tier.code,
            tier_rank=tier.rank,
            due_at=due,
            available_at=next_calling_time(after=available, policy=policy, zone=zone),
        )
        made.append(touchpoint)
        next_sequence += 1
    return made


def _route_uncontactable(
    touchpoints: Iterable[Touchpoint],
    *,
    plan: CarePlan,
    policy: FollowupPolicy,
    actor: Actor | None,
    at: dt.datetime,
) -> None:
    """Calls for a patient who may not (or cannot) be phoned never enter the phone queue (PIPL Art. 29)."""
    patient = plan.patient
    for touchpoint in touchpoints:
        if not patient.contact_consent:
            if policy.no_consent_route == NoConsentRoute.LETTER:
                touchpoint.owner = plan.owner
                touchpoint.save(update_fields=["owner"])
                touchpoint_move(
                    touchpoint=touchpoint,
                    to=TouchpointStatus.SCHEDULED,
                    actor=actor,
                    at=at,
                    step=EscalationStep.VISIT_OR_LETTER,
                    reason=_("No consent to be contacted by phone: a letter instead."),
                )
            else:
                touchpoint_move(
                    touchpoint=touchpoint,
                    to=TouchpointStatus.SKIPPED,
                    actor=actor,
                    at=at,
                    reason=_("No consent to be contacted (PIPL Art. 29)."),
                )
        elif not patient.phones.exists():
            touchpoint.owner = plan.owner
            touchpoint.save(update_fields=["owner"])
            touchpoint_move(
                touchpoint=touchpoint,
                to=TouchpointStatus.SCHEDULED,
                actor=actor,
                at=at,
                step=EscalationStep.VISIT_OR_LETTER,
                reason=_("No phone number: a home visit or letter."),
            )


def _clean_flags(flags: Iterable[str]) -> list[str]:
    flags = sorted(set(flags))
    unknown = [f for f in flags if f not in MedicationFlag.values]
    if unknown:
        raise ValidationError(
            {"medication_flags": [_("Unknown medication flag: %(flags)s") % {"flags": ", ".join(unknown)}]}
        )
    return flags


@transaction.atomic
def stay_discharge(
    *,
    encounter: Encounter,
    ended_at: dt.datetime,
    actor: Actor | None,
    medication_flags: Iterable[str] = (),
) -> CarePlan:
    """Discharge a stay: record the time, assign the follow-up tier by policy (and why), schedule the
    post-discharge call and the tier's follow-up calls. Idempotent: a discharged plan is returned as is.

    The end of the stay itself is the registry's (``patients.services.encounter_discharge`` checks the
    time and writes the stay's audit row); a refusal there changes nothing here either."""
    flags = _clean_flags(medication_flags)
    plan = CarePlan.objects.filter(encounter=encounter).first() or care_plan_create(
        encounter=encounter, actor=actor
    )
    plan = (
        CarePlan.objects.select_for_update()
        .select_related("hospital", "patient", "encounter")
        .get(pk=plan.pk)
    )
    if plan.discharged_at is not None:
        return plan
    encounter_discharge(encounter=encounter, ended_at=ended_at, actor=actor)
    policy = policy_for(plan.hospital)
    zone = plan.hospital.time_zone
    decision = tier_decide(encounter=plan.encounter, medication_flags=flags, default_tier=policy.default_tier)
    plan.discharged_at = ended_at
    plan.medication_flags = flags
    plan.tier, plan.tier_rule, plan.tier_reason = decision.tier, decision.rule, decision.reason[:255]
    plan.tier_facts, plan.tier_assigned_at = dict(decision.facts), ended_at
    plan.save()
    transition_record(
        lifecycle=PLAN_LIFECYCLE,
        obj=plan,
        from_status="",
        to_status=decision.tier,
        actor=actor,
        at=ended_at,
        reason=decision.reason,
        record={"field": CarePlanTransition.FIELD_TIER},
    )
    plan.touchpoints.filter(kind=TouchpointKind.PRE_DISCHARGE_INTERVIEW, due_at__isnull=True).update(
        due_at=ended_at
    )
    calls: list[Touchpoint] = []
    if plan.patient.deceased_at is None:
        post = template_for(plan, TouchpointKind.POST_DISCHARGE_CALL)
        if post is not None:
            calls.append(
                touchpoint_from_template(
                    plan,
                    post,
                    actor=actor,
                    at=ended_at,
                    due_at=deadline(start=ended_at, amount=post.amount, unit=post.unit, zone=zone),
                    available_at=next_calling_time(after=ended_at, policy=policy, zone=zone),
                )
            )
        calls += _follow_up_calls(
            plan, tier=_tier_row(plan, decision.tier), policy=policy, actor=actor, at=ended_at
        )
        _route_uncontactable(calls, plan=plan, policy=policy, actor=actor, at=ended_at)
        plan_move(plan=plan, to=PlanStatus.FOLLOW_UP, actor=actor, at=ended_at, reason=_("Discharged"))
    else:
        plan_move(plan=plan, to=PlanStatus.CLOSED, actor=actor, at=ended_at, reason=_("The patient died."))
    audit_record(
        actor=actor,
        action="careplan.discharge",
        obj=plan,
        summary=f"{decision.tier}: {decision.reason}"[:255],
        changes={
            "tier": decision.tier,
            "rule": decision.rule.pk if decision.rule else None,
            "facts": dict(decision.facts),
        },
    )
    plan_settle(plan=plan, actor=actor, at=ended_at)
    return plan


@transaction.atomic
def plan_retier(
    *, plan: CarePlan, tier: str, actor: Actor, reason: str, at: dt.datetime | None = None
) -> CarePlan:
    """Change a discharged plan's tier by hand, with a reason. Open follow-up calls not yet attempted are
    cancelled and the new tier's calls scheduled; calls under way stay and count as the first windows."""
    if not actor.has_perm("followup.retier_careplan"):
        raise PermissionDenied(_("You are not allowed to change follow-up tiers."))
    locked = CarePlan.objects.select_for_update().select_related("hospital", "patient").get(pk=plan.pk)
    when = moment(at)
    errors: dict[str, list[str]] = {}
    if tier not in TierCode.values:
        errors["tier"] = [_("Unknown tier.")]
    elif tier == locked.tier:
        errors["tier"] = [_("The plan already has this tier.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the tier changes.")]
    if locked.discharged_at is None:
        errors["tier"] = [_("The tier is assigned at discharge; this stay has not ended.")]
    if errors:
        raise ValidationError(errors)
    previous = locked.tier
    policy = policy_for(locked.hospital)
    tier_row = _tier_row(locked, tier)
    open_calls = locked.touchpoints.filter(kind=TouchpointKind.FOLLOW_UP_CALL, status__in=OPEN_TOUCHPOINT)
    kept = 0
    for touchpoint in open_calls.order_by("sequence"):
        if touchpoint.attempts.exists():
            touchpoint.tier, touchpoint.tier_rank = tier, tier_row.rank if tier_row else 99
            touchpoint.save(update_fields=["tier", "tier_rank", "updated_at"])
            kept += 1
        else:
            touchpoint_move(
                touchpoint=touchpoint,
                to=TouchpointStatus.CANCELLED,
                actor=actor,
                at=when,
                reason=_("Re-tiered: %(reason)s") % {"reason": reason.strip()},
            )
    locked.tier, locked.tier_rule = tier, None
    locked.tier_reason = (_("Set by hand: %(reason)s") % {"reason": reason.strip()})[:255]
    locked.tier_assigned_at = when
    locked.save(update_fields=["tier", "tier_rule", "tier_reason", "tier_assigned_at", "updated_at"])
    transition_record(
        lifecycle=PLAN_LIFECYCLE,
        obj=locked,
        from_status=previous,
        to_status=tier,
        actor=actor,
        at=when,
        reason=reason.strip(),
        record={"field": CarePlanTransition.FIELD_TIER},
    )
    if locked.patient.deceased_at is None:
        made = _follow_up_calls(locked, tier=tier_row, policy=policy, actor=actor, at=when, skip=kept)
        _route_uncontactable(made, plan=locked, policy=policy, actor=actor, at=when)
    audit_record(
        actor=actor,
        action="careplan.retier",
        obj=locked,
        summary=f"{previous} → {tier}",
        changes={"tier": [previous, tier], "reason": reason.strip()[:200]},
    )
    plan_settle(plan=locked, actor=actor, at=when)
    return locked
