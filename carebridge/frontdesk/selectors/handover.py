"""Reads of shift handovers (交班): the handovers a user may see, and those waiting for them to take over."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.frontdesk.choices import HandoverStatus
from carebridge.frontdesk.models import Handover, HandoverItem


def handover_list(*, user: Actor) -> QuerySet[Handover]:
    """The handovers of the user's hospital (a handover belongs to the desk, not to a department)."""
    return restrict(Handover.objects.all(), user, "view").select_related(
        "shift", "next_shift", "acknowledged_by", "handed_over_by", "hospital"
    )


def handover_get(*, user: Actor, pk: int) -> Handover:
    handover = (
        handover_list(user=user)
        .prefetch_related(Prefetch("items", queryset=HandoverItem.objects.order_by("due", "id")))
        .filter(pk=pk)
        .first()
    )
    if handover is None:
        raise Http404("No such handover in your scope.")
    return handover


def handovers_to_acknowledge(*, user: Actor) -> QuerySet[Handover]:
    """Open handovers of the user's hospital that the user may take over (not those they handed over)."""
    if not user.has_perm("frontdesk.acknowledge_handover"):
        return Handover.objects.none()
    return (
        handover_list(user=user)
        .filter(status=HandoverStatus.OPEN)
        .exclude(handed_over_by_id=user.pk)
        .order_by("handover_at")
    )
