"""Reads of the call centre: the call queue, the owner's own touchpoints, call scripts and the screen pop."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from carebridge.core.models import Staff
from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.followup.choices import CALL_KINDS, OPEN_TOUCHPOINT, EscalationStep
from carebridge.followup.domain.calling import next_calling_time
from carebridge.followup.models import CallScript, FollowupPolicy, TelephonyCall, Touchpoint
from carebridge.followup.models.plans import BY_DUE, QUEUE_ORDER
from carebridge.followup.selectors.plans import touchpoint_list

# A ringing or answered call pops up on the agent's page for this long.
SCREEN_POP_WINDOW = dt.timedelta(minutes=3)


def _dialable(user: Any) -> QuerySet[Touchpoint]:
    """The phone calls this user may make (now or later): theirs, and the unowned ones for the call centre."""
    if not user.has_perm("followup.change_touchpoint"):
        return Touchpoint.objects.none()
    mine = _owned_by(user)
    if user.has_perm("followup.work_call_queue"):
        mine |= Q(owner__isnull=True)
    return (
        touchpoint_list(user=user)
        # Only what the page and the API show: every further join costs the planner more than the rows
        # cost to read (bench/followup_queue.py).
        .select_related("patient", "department", "owner", "claimed_by")
        .filter(mine)
        .filter(
            status__in=OPEN_TOUCHPOINT,
            kind__in=CALL_KINDS,
            step=EscalationStep.PHONE,
            patient__contact_consent=True,
            patient__deceased_at__isnull=True,
        )
    )


def call_queue(
    *, user: Any, now: dt.datetime | None = None, include_claimed: bool = False
) -> QuerySet[Touchpoint]:
    """The calls this user may make now: their own calls (a doctor's post-discharge calls) and, for the
    call centre, every unowned call in scope; soonest due first, then the higher tier.

    Never a patient without contact consent, nor one who died; not before the redial time; not a call
    someone else holds (unless ``include_claimed``: the claim service tells "taken" from "not yours")."""
    now = now or timezone.now()
    queryset = _dialable(user).filter(Q(available_at__isnull=True) | Q(available_at__lte=now))
    if not include_claimed:
        queryset = queryset.filter(Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by=user))
    return queryset.order_by(*QUEUE_ORDER)


def _owned_by(user: Any) -> Q:
    """Touchpoints the user owns: ``owner_id IN (the user's staff record)``, a one-row sub-select, rather
    than a join to the staff table in the queue's join."""
    return Q(owner_id__in=Staff.objects.filter(user_id=user.pk).values("pk"))


def upcoming_calls(*, user: Any, now: dt.datetime | None = None) -> QuerySet[Touchpoint]:
    """The calls that open later (a redial time, or calling hours that have not begun): soonest first."""
    now = now or timezone.now()
    return _dialable(user).filter(available_at__gt=now).order_by("available_at", "tier_rank", "id")


@dataclass(frozen=True)
class CallingWindow:
    """The hospital's calling hours as the queue shows them."""

    start: dt.time
    end: dt.time
    open_now: bool
    opens_at: dt.datetime  # ``now`` when open, else the start of the next window (UTC)


def calling_window(*, hospital: Any, now: dt.datetime | None = None) -> CallingWindow | None:
    """Calling hours of the hospital (``None`` before its follow-up policy exists)."""
    now = now or timezone.now()
    policy = FollowupPolicy.objects.filter(hospital=hospital).first()
    if policy is None:
        return None
    opens_at = next_calling_time(after=now, policy=policy, zone=hospital.time_zone)
    return CallingWindow(
        start=policy.calling_start, end=policy.calling_end, open_now=opens_at <= now, opens_at=opens_at
    )


def my_touchpoints(*, user: Any) -> QuerySet[Touchpoint]:
    """Open touchpoints the user owns that are not phone calls: interviews, talks, visits and letters."""
    return (
        touchpoint_list(user=user)
        .select_related("plan__patient")
        .filter(_owned_by(user), status__in=OPEN_TOUCHPOINT)
        .exclude(kind__in=CALL_KINDS, step=EscalationStep.PHONE)
        .order_by(*BY_DUE)
    )


def script_for(touchpoint: Touchpoint) -> CallScript | None:
    return CallScript.objects.filter(hospital_id=touchpoint.hospital_id, kind=touchpoint.kind).first()


def screen_pop(*, user: Actor, now: dt.datetime | None = None) -> TelephonyCall | None:
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
