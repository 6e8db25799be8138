"""One FilterSet for the complaint register page, the API and the exports (as NetBox does)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.complaints.choices import (
    OPEN_STATUSES,
    Category,
    Channel,
    ComplaintStatus,
    FeedbackKind,
    Severity,
)
from carebridge.complaints.models import Complaint
from carebridge.complaints.selectors.overdue import overdue_q
from carebridge.core.filters import IdFilter
from carebridge.core.selectors.organisation import department_list

_SELECT = {"class": "form-select form-select-sm"}


class ComplaintFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(
        choices=FeedbackKind.choices,
        label=_("Kind"),
        empty_label=_("All kinds"),
        widget=forms.Select(attrs=_SELECT),
    )
    status = django_filters.ChoiceFilter(
        choices=ComplaintStatus.choices,
        label=_("Status"),
        empty_label=_("All statuses"),
        widget=forms.Select(attrs=_SELECT),
    )
    category = django_filters.ChoiceFilter(
        choices=Category.choices,
        label=_("Category"),
        empty_label=_("All categories"),
        widget=forms.Select(attrs=_SELECT),
    )
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices,
        label=_("Channel"),
        empty_label=_("All channels"),
        widget=forms.Select(attrs=_SELECT),
    )
    severity = django_filters.ChoiceFilter(
        choices=Severity.choices,
        label=_("Severity"),
        empty_label=_("All severities"),
        widget=forms.Select(attrs=_SELECT),
    )
    department = IdFilter(method="filter_department", label=_("Department involved"))
    office = IdFilter(field_name="responsible_office_id", label=_("Responsible office"))
    received_after = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("Received from")
    )
    received_before = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("Received until")
    )
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open cases only"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue"))
    escalated = django_filters.BooleanFilter(
        field_name="escalated_at", lookup_expr="isnull", exclude=True, label=_("Escalated")
    )

    class Meta:
        model = Complaint
        fields = [
            "q",
            "kind",
            "status",
            "category",
            "channel",
            "severity",
            "department",
            "office",
            "received_after",
            "received_before",
            "open",
            "overdue",
            "escalated",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.department_options: list[tuple[int, str]] = []
        user = getattr(self.request, "user", None)
        if user is not None:
            self.department_options = list(
                department_list(user=user).order_by("code").values_list("id", "name")
            )

    def filter_search(self, queryset: QuerySet[Complaint], name: str, value: str) -> QuerySet[Complaint]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(complainant_name__startswith=value)
            | Q(content__icontains=value)
        )

    def filter_department(self, queryset: QuerySet[Complaint], name: str, value: int) -> QuerySet[Complaint]:
        return queryset.filter(pk__in=Complaint.objects.filter(departments=value).values("pk"))

    def filter_open(
        self, queryset: QuerySet[Complaint], name: str, value: bool | None
    ) -> QuerySet[Complaint]:
        if value is None:
            return queryset
        return (
            queryset.filter(status__in=OPEN_STATUSES) if value else queryset.exclude(status__in=OPEN_STATUSES)
        )

    def filter_overdue(
        self, queryset: QuerySet[Complaint], name: str, value: bool | None
    ) -> QuerySet[Complaint]:
        if value is None:
            return queryset
        overdue = overdue_q(now=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
