"""Reading improvement actions: lists with filters, one action, the actions of a source record. Every
read starts from ``restrict()`` (the user's hospital and departments)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carebridge.core.scope import restrict
from carebridge.performance.choices import OPEN_ACTION
from carebridge.performance.models import ImprovementAction

FILTERS = ("source", "status", "department", "owner", "overdue", "measure")


def _base(user: Any) -> QuerySet[ImprovementAction]:
    return restrict(ImprovementAction.objects.all(), user).select_related(
        "department", "owner", "escalated_to", "source_type", "objective", "assignment__kpi"
    )


def action_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[ImprovementAction]:
    """Filters: ``source``, ``status``, ``department`` (id), ``owner`` (staff id), ``measure``, ``overdue``
    (open and past the due date)."""
    filters = filters or {}
    rows = _base(user)
    for key in ("source", "status", "measure"):
        if filters.get(key):
            rows = rows.filter(**{key: filters[key]})
    if filters.get("department"):
        rows = rows.filter(department_id=filters["department"])
    if filters.get("owner"):
        rows = rows.filter(owner_id=filters["owner"])
    if filters.get("overdue"):
        rows = rows.filter(status__in=OPEN_ACTION, due_date__lt=timezone.localdate())
    return rows.order_by("due_date", "id")


def action_get(*, user: Any, pk: int) -> ImprovementAction:
    return get_object_or_404(_base(user).prefetch_related("transitions__actor__staff"), pk=pk)


def actions_for(*, user: Any, obj: models.Model) -> QuerySet[ImprovementAction]:
    """The actions raised from ``obj`` (a complaint, a KPI, a meeting …) that the user may see."""
    return (
        _base(user)
        .filter(source_type=ContentType.objects.get_for_model(obj), source_id=obj.pk)
        .order_by("due_date", "id")
    )


def action_counts(*, user: Any, department_ids: list[int] | None = None) -> dict[str, int]:
    """Open, late, done with an effect, abandoned — for the department head's page."""
    rows = _base(user)
    if department_ids is not None:
        rows = rows.filter(department_id__in=department_ids)
    today = timezone.localdate()
    return {
        "open": rows.filter(status__in=OPEN_ACTION).count(),
        "late": rows.filter(status__in=OPEN_ACTION, due_date__lt=today).count(),
        "improved": rows.filter(verdict="improved").count(),
        "done": rows.filter(status="done").count(),
    }
