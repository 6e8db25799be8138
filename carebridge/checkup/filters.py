"""FilterSets of the checkup centre (the visit list of the API; the day page filters the same fields)."""

from __future__ import annotations

import django_filters

from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.models import Visit
from carebridge.core.filters import IdFilter


class VisitFilterSet(django_filters.FilterSet):
    date = django_filters.DateFilter(field_name="scheduled_for")
    date_from = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="scheduled_for", lookup_expr="lte")
    status = django_filters.ChoiceFilter(choices=VisitStatus.choices)
    number = django_filters.CharFilter(field_name="number", lookup_expr="iexact")
    group = IdFilter(field_name="group_id")

    class Meta:
        model = Visit
        fields = ["date", "date_from", "date_to", "status", "number", "group"]
