"""Filters of the care-plan list, shared by the page and the API."""

from __future__ import annotations

import django_filters

from carebridge.core.filters import IdFilter
from carebridge.followup.choices import PlanStatus, TierCode
from carebridge.followup.models import CarePlan


class CarePlanFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)
    tier = django_filters.ChoiceFilter(choices=TierCode.choices)
    ward = IdFilter(field_name="ward_id")
    department = django_filters.CharFilter(field_name="department__code")
    patient = IdFilter(field_name="patient_id")

    class Meta:
        model = CarePlan
        fields = ["status", "tier", "ward", "department", "patient"]
