from __future__ import annotations

import django_filters

from carebridge.core.choices import DepartmentKind
from carebridge.core.models import Department


class DepartmentFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DepartmentKind.choices)
    code = django_filters.CharFilter()
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Department
        fields = ["kind", "code", "name", "is_active"]
