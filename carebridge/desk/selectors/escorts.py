"""Reads of escorts (陪诊送诊). Hospital-wide roles see every escort of the hospital; department roles the
escorts of their departments and those they requested; anyone sees the escorts assigned to them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from carebridge.core.scope import scope_for
from carebridge.desk.models import Escort


def escort_list(*, user: Any) -> QuerySet[Escort]:
    if not user.has_perm("desk.view_escort"):
        return Escort.objects.none()
    scope = scope_for(user)
    queryset = scope.filter(Escort.objects.all(), hospital="hospital", department=None)
    if scope.department_ids is not None and not scope.is_empty:
        queryset = queryset.filter(
            Q(department__in=scope.department_ids) | Q(requested_by=user) | Q(assigned_to__user=user)
        )
    return queryset


def escort_list_for_display(*, user: Any) -> QuerySet[Escort]:
    return escort_list(user=user).select_related("department", "assigned_to", "patient", "requested_by")


def escort_get(*, user: Any, pk: int) -> Escort:
    escort = (
        escort_list_for_display(user=user)
        .prefetch_related("transitions__actor", "transitions__assigned_to")
        .filter(pk=pk)
        .first()
    )
    if escort is None:
        raise Http404("No such escort in your scope.")
    return escort
