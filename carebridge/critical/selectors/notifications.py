"""Reading notifications: the work queue, lists with filters, one notification with everything the call
page shows. Every read starts from ``restrict()`` (the centre's staff, the clinical recipients' scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, DateTimeField, F, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carebridge.core.scope import restrict
from carebridge.critical.choices import OPEN_STATUSES
from carebridge.critical.models import Notification, Rule, RuleSet


def _base(user: Any) -> QuerySet[Notification]:
    return restrict(Notification.objects.all(), user).select_related(
        "patient", "visit", "department", "claimed_by", "read_back_by"
    )


def with_due(queryset: QuerySet[Notification]) -> QuerySet[Notification]:
    """``due``: the first-attempt target until someone tried, then the read-back target."""
    return queryset.annotate(
        due=Case(
            When(first_attempt_at__isnull=True, then=F("first_attempt_due")),
            default=F("read_back_due"),
            output_field=DateTimeField(),
        )
    )


def notification_queue(
    *, user: Any, now: dt.datetime | None = None, include_claimed: bool = False
) -> QuerySet[Notification]:
    """Open notifications by class (A first) and due time; without the ones a colleague holds."""
    now = now or timezone.now()
    rows = with_due(_base(user).filter(status__in=OPEN_STATUSES))
    if not include_claimed:
        rows = rows.filter(Q(claimed_by__isnull=True) | Q(claimed_until__lt=now) | Q(claimed_by_id=user.pk))
    return rows.order_by("severity", "due", "id")


def notification_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Notification]:
    """Filters: ``status``, ``class`` (severity), ``search`` (visit number, name, MRN), ``rule`` (code),
    ``month`` (``YYYY-MM`` of detection), ``overdue`` (open past a target now)."""
    filters = filters or {}
    rows = with_due(_base(user))
    if filters.get("status"):
        rows = rows.filter(status=filters["status"])
    if filters.get("class"):
        rows = rows.filter(severity=filters["class"])
    if filters.get("search"):
        term = str(filters["search"]).strip()
        rows = rows.filter(
            Q(visit__number__icontains=term) | Q(patient__name__icontains=term) | Q(patient__mrn__iexact=term)
        )
    if filters.get("rule"):
        rows = rows.filter(findings__rule__code=filters["rule"]).distinct()
    if filters.get("month"):
        year, month = (int(part) for part in str(filters["month"]).split("-", 1))
        rows = rows.filter(detected_at__year=year, detected_at__month=month)
    if filters.get("overdue"):
        now = timezone.now()
        rows = rows.filter(Q(status__in=OPEN_STATUSES) & Q(due__lt=now))
    return rows.order_by("-detected_at", "-id")


def notification_get(*, user: Any, pk: int) -> Notification:
    return get_object_or_404(
        _base(user).prefetch_related(
            "findings__rule", "findings__result__item", "attempts__by", "transitions"
        ),
        pk=pk,
    )


def rule_list(*, user: Any) -> QuerySet[Rule]:
    return (
        restrict(Rule.objects.all(), user)
        .select_related("rule_set", "item")
        .order_by("rule_set__hospital_id", "rule_set__code", "-rule_set__version", "sequence", "id")
    )


def rule_set_list(*, user: Any) -> QuerySet[RuleSet]:
    return restrict(RuleSet.objects.all(), user).order_by("code", "-version", "id")


def escalated_open(*, hospital: Any = None, user: Any = None) -> QuerySet[Notification]:
    """Open notifications escalated to a supervisor (a target missed): the shift handover carries them
    (one hospital's, ``hospital``) and the workspace shows them (``user``'s scope)."""
    rows = _base(user) if user is not None else Notification.objects.filter(hospital=hospital)
    return (
        with_due(rows.filter(status__in=OPEN_STATUSES, escalations__isnull=False).distinct())
        .select_related("patient", "visit")
        .prefetch_related("escalations")
        .order_by("severity", "due", "id")
    )
