"""Reads of the call centre: the call queue, the owner's own touchpoints, call scripts and the screen pop."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.followup.choices import CALL_KINDS, OPEN_TOUCHPOINT, EscalationStep
from carebridge.followup.models import CallScript, TelephonyCall, Touchpoint
from carebridge.followup.selectors.plans import touchpoint_list_for_display

# A ringing or answered call pops up on the agent's page for this long.
SCREEN_POP_WINDOW = dt.timedelta(minutes=3)


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
            patient__contact_consent=True,
            patient__deceased_at__isnull=True,
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
