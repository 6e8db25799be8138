"""What a desk shift hands over from follow-up: calls claimed but not finished, and overdue calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.followup.choices import CALL_KINDS, OPEN_TOUCHPOINT, EscalationStep
from carebridge.followup.models import Touchpoint
from carebridge.frontdesk.choices import HandoverItemKind
from carebridge.frontdesk.domain.carryover import CarriedItem, register

_LIMIT = 50


@register
def calls_unfinished(hospital: Any, now: dt.datetime) -> Iterator[CarriedItem]:
    """Phone calls open at ``now`` that someone holds, or whose due time has passed."""
    calls = (
        Touchpoint.objects.filter(
            plan__hospital=hospital,
            kind__in=CALL_KINDS,
            status__in=OPEN_TOUCHPOINT,
            step=EscalationStep.PHONE,
            plan__discharged_at__lte=now,
        )
        .filter(Q(claimed_by__isnull=False, claimed_until__gte=now) | Q(due_at__lt=now))
        .select_related("plan__patient", "plan__department", "claimed_by")
        .order_by("due_at", "id")[:_LIMIT]
    )
    for call in calls:
        state = (
            _("claimed by %(user)s") % {"user": call.claimed_by.get_username()}
            if call.claimed_by is not None and call.claimed_until and call.claimed_until >= now
            else _("overdue")
        )
        yield CarriedItem(
            kind=HandoverItemKind.CALL,
            object_key=str(call.pk),
            title=f"{call.plan.patient.name} · {call.title}",
            detail=f"{call.plan.department.name} · {state}",
            due=call.due_at,
            url=reverse("followup:call", args=[call.pk]),
        )
