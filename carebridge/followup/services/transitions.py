"""The life cycles of care plans and touchpoints: the only code that changes their status.

Both are :class:`~carebridge.core.services.transitions.Lifecycle` objects over the tables of ``choices``
(``PLAN_TRANSITIONS``, ``TOUCHPOINT_TRANSITIONS``); :func:`transition_apply` checks each move against its
table and writes the status with the transition row. :func:`touchpoint_close` is what people use (pages,
API): it refuses what ``TOUCHPOINT_TRANSITIONS`` does not allow and what the follow-up rules forbid —
above all, a tier-A follow-up call is never closed without a reached outcome or the full escalation chain
exhausted (DESIGN §5.3). The other services move touchpoints through :func:`touchpoint_move`, which writes
the status, a :class:`TouchpointTransition` row and an audit row; a refused change raises
``ValidationError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record, audit_row
from carebridge.core.services.rows import update_saved
from carebridge.core.services.transitions import Lifecycle, transition_apply, transition_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    PLAN_TRANSITIONS,
    TOUCHPOINT_TRANSITIONS,
    CallOutcome,
    ContactChannel,
    EscalationStep,
    PlanStatus,
    TierCode,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.models import CarePlan, CarePlanTransition, Touchpoint, TouchpointTransition

_FUTURE_SLACK = dt.timedelta(minutes=5)

# A plan's rows record its status (``field = "status"``) and, written by ``services.discharge`` with
# ``transition_record``, its tier (``field = "tier"``).
PLAN_LIFECYCLE: Lifecycle[CarePlan] = Lifecycle(
    record=CarePlanTransition,
    subject="plan",
    moves=PLAN_TRANSITIONS,
    choices=PlanStatus,
    extra_columns=("field",),
)
# A touchpoint's rows also record a move along the escalation chain (``from_step``/``to_step``).
TOUCHPOINT_LIFECYCLE: Lifecycle[Touchpoint] = Lifecycle(
    record=TouchpointTransition,
    subject="touchpoint",
    moves=TOUCHPOINT_TRANSITIONS,
    choices=TouchpointStatus,
    extra_columns=("from_step", "to_step"),
)


def status_label(status: str) -> str:
    return TOUCHPOINT_LIFECYCLE.label(status)


def moment(at: dt.datetime | None) -> dt.datetime:
    """When a change happened: now, or earlier for back-entry (paper records, demo data); never later."""
    now = timezone.now()
    if at is None:
        return now
    require_aware(at, field="at")
    if at > now + _FUTURE_SLACK:
        raise ValidationError({"at": [_("The time is in the future.")]})
    return at


def chain_exhausted(touchpoint: Touchpoint) -> bool:
    """Phone, message and home visit or letter all tried: the visit or letter failed at the last step."""
    return touchpoint.step in (EscalationStep.VISIT_OR_LETTER, EscalationStep.LOST) and (
        touchpoint.attempts.filter(
            channel__in=(ContactChannel.HOME_VISIT, ContactChannel.LETTER), outcome=CallOutcome.FAILED
        ).exists()
    )


def closing_errors(touchpoint: Touchpoint, to: str) -> dict[str, list[str]]:
    """Why a person may not close this touchpoint as ``to`` (empty when they may)."""
    current = touchpoint.status
    if to not in TouchpointStatus.values:
        return {"to": [_("Unknown status: %(status)s.") % {"status": to}]}
    if to not in TOUCHPOINT_LIFECYCLE.allowed(touchpoint):
        return {
            "to": [
                _("A touchpoint that is “%(current)s” cannot be moved to “%(to)s”.")
                % {"current": status_label(current), "to": status_label(to)}
            ]
        }
    outcomes = set(touchpoint.attempts.values_list("outcome", flat=True))
    if to == TouchpointStatus.DECEASED and CallOutcome.DECEASED not in outcomes:
        return {"to": [_("Record the call in which the death was reported.")]}
    if touchpoint.is_call and to == TouchpointStatus.DONE and CallOutcome.REACHED not in outcomes:
        return {"to": [_("A call is done when an attempt reached the patient: record that attempt.")]}
    if touchpoint.is_call and to == TouchpointStatus.REFUSED and CallOutcome.REFUSED not in outcomes:
        return {"to": [_("Record the call in which the patient refused.")]}
    if touchpoint.kind == TouchpointKind.FOLLOW_UP_CALL and touchpoint.tier == TierCode.A:
        allowed = to in (
            TouchpointStatus.DONE,
            TouchpointStatus.REFUSED,
            TouchpointStatus.DECEASED,
            TouchpointStatus.IN_PROGRESS,
        ) or (to == TouchpointStatus.LOST and chain_exhausted(touchpoint))
        if not allowed:
            return {
                "to": [
                    _(
                        "A tier-A follow-up cannot be closed before the patient is reached or the whole "
                        "escalation chain (phone, message, home visit or letter) has been tried."
                    )
                ]
            }
    return {}


def touchpoint_move(
    *,
    touchpoint: Touchpoint,
    to: str,
    actor: Actor | None,
    at: dt.datetime,
    reason: str = "",
    step: str | None = None,
    update_fields: Sequence[str] = (),
) -> Touchpoint:
    """Write a change of status and/or escalation step with its transition and audit rows (the callers are
    services that checked their own rules; the life cycle's table is checked here). Closing releases any
    claim. ``update_fields``: other fields the caller changed, saved in the same UPDATE (alone when
    nothing moves)."""
    current, current_step = touchpoint.status, touchpoint.step
    new_step = step or current_step
    if to == current and new_step == current_step:
        if update_fields:
            update_saved(touchpoint, [*update_fields, "updated_at"])
        return touchpoint
    fields = [*update_fields, "step", "updated_at"]
    touchpoint.step = new_step
    if to not in OPEN_TOUCHPOINT:
        touchpoint.completed_at = touchpoint.completed_at or at
        touchpoint.completed_by = touchpoint.completed_by or (
            actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[assignment]
        )
        touchpoint.claimed_by, touchpoint.claimed_until = None, None
        touchpoint.closed_reason = reason.strip()[:255]
        fields += ["completed_at", "completed_by", "claimed_by", "claimed_until", "closed_reason"]
    elif current not in OPEN_TOUCHPOINT:  # reopened
        touchpoint.completed_at = touchpoint.completed_by = None
        touchpoint.closed_reason = ""
        fields += ["completed_at", "completed_by", "closed_reason"]
    steps = {
        "from_step": current_step if new_step != current_step else "",
        "to_step": new_step if new_step != current_step else "",
    }
    audit = audit_row(
        actor=actor,
        action=f"touchpoint.{to}" if to != current else f"touchpoint.step.{new_step}",
        obj=touchpoint,
        summary=f"{touchpoint.title}: {status_label(current)} → {status_label(to)}",
        changes={"status": [current, to], "step": [current_step, new_step], "reason": reason.strip()[:200]},
    )
    if to == current:
        # Only the escalation step moves (a call waiting for a letter stays "scheduled"): the row records
        # it, and the status table has no move to check.
        update_saved(touchpoint, ["status", *fields])
        transition_record(
            lifecycle=TOUCHPOINT_LIFECYCLE,
            obj=touchpoint,
            from_status=current,
            to_status=to,
            actor=actor,
            reason=reason.strip(),
            at=at,
            record=steps,
        )
        audit.save()
    else:
        # The transition and its audit row in one statement (issue 18: each was an INSERT compiled anew).
        transition_apply(
            lifecycle=TOUCHPOINT_LIFECYCLE,
            obj=touchpoint,
            to=to,
            actor=actor,
            reason=reason.strip(),
            at=at,
            update_fields=fields,
            save=update_saved,
            record=steps,
            along=[audit],
        )
    return touchpoint


@transaction.atomic
def touchpoint_close(
    *, touchpoint: Touchpoint, to: str, actor: Actor, reason: str = "", at: dt.datetime | None = None
) -> Touchpoint:
    """Close (or reopen) a touchpoint by hand, or refuse with a ``ValidationError`` that says why."""
    locked = Touchpoint.objects.select_for_update(of=("self",)).select_related("plan").get(pk=touchpoint.pk)
    when = moment(at)
    errors = closing_errors(locked, to)
    if not errors and not reason.strip() and to not in (TouchpointStatus.DONE,):
        errors["reason"] = [_("Say why.")]
    if errors:
        raise ValidationError(errors)
    touchpoint_move(touchpoint=locked, to=to, actor=actor, at=when, reason=reason)
    plan_settle(plan=locked.plan, actor=actor, at=when)
    return locked


def plan_move(*, plan: CarePlan, to: str, actor: Actor | None, at: dt.datetime, reason: str = "") -> CarePlan:
    """Change a plan's status with its transition and audit rows, or refuse what the table forbids."""
    current = plan.status
    if to == current:
        return plan
    if to not in PLAN_LIFECYCLE.allowed(plan):
        raise ValidationError(
            {"status": [_("This plan cannot move from %(a)s to %(b)s.") % {"a": current, "b": to}]}
        )
    plan.closed_at = at if to == PlanStatus.CLOSED else None
    plan.closed_reason = reason.strip()[:255] if to == PlanStatus.CLOSED else ""
    transition_apply(
        lifecycle=PLAN_LIFECYCLE,
        obj=plan,
        to=to,
        actor=actor,
        reason=reason.strip(),
        at=at,
        update_fields=["closed_at", "closed_reason", "updated_at"],
        record={"field": CarePlanTransition.FIELD_STATUS},
    )
    audit_record(
        actor=actor,
        action=f"careplan.{to}",
        obj=plan,
        summary=f"{current} → {to}",
        changes={"status": [current, to], "reason": reason.strip()[:200]},
    )
    return plan


def plan_settle(
    *,
    plan: CarePlan | None,
    actor: Actor | None,
    at: dt.datetime,
    reason: str = "",
    has_open: bool | None = None,
) -> CarePlan | None:
    """Close a discharged plan once none of its touchpoints is open (and reopen it when one is again);
    a standalone touchpoint (no plan) has nothing to settle. ``has_open=True``: the caller holds an open
    touchpoint of the plan (nothing to read); ``None``: look."""
    if plan is None or plan.discharged_at is None:
        return plan
    if has_open is None:
        has_open = plan.touchpoints.filter(status__in=OPEN_TOUCHPOINT).exists()
    if not has_open and plan.status != PlanStatus.CLOSED:
        return plan_move(
            plan=plan,
            to=PlanStatus.CLOSED,
            actor=actor,
            at=at,
            reason=reason or _("Every touchpoint is closed."),
        )
    if has_open and plan.status == PlanStatus.CLOSED:
        return plan_move(plan=plan, to=PlanStatus.FOLLOW_UP, actor=actor, at=at, reason=reason)
    return plan
