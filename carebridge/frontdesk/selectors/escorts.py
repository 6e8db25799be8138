"""Reads of escorts (陪诊送诊). Hospital-wide roles see every escort of the hospital; department roles the
escorts of their departments and those they requested; anyone sees the escorts assigned to them
(``Escort.scope_lookups``)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.frontdesk.models import Escort


def escort_list(*, user: Actor) -> QuerySet[Escort]:
    """Escorts the user may see: ``frontdesk.view_escort``, in the user's scope."""
    return restrict(Escort.objects.all(), user, "view")


def escort_list_for_display(*, user: Actor) -> QuerySet[Escort]:
    return escort_list(user=user).select_related("department", "assigned_to", "patient", "requested_by")


def escort_get(*, user: Actor, pk: int) -> Escort:
    escort = (
        escort_list_for_display(user=user)
        .prefetch_related("transitions__actor", "transitions__assigned_to")
        .filter(pk=pk)
        .first()
    )
    if escort is None:
        raise Http404("No such escort in your scope.")
    return escort
