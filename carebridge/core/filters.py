from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from carebridge.core.choices import DepartmentKind
from carebridge.core.models import Department
from carebridge.lib.text import ID_MAX


class IdFilter(django_filters.NumberFilter):
    """A filter by a row's id: a whole number from 0 to what a bigint holds. A larger one names no row,
    and SQLite's driver cannot send it (a 500 found by the API fuzzing); it is a 400 naming the filter."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class DepartmentFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=DepartmentKind.choices)
    code = django_filters.CharFilter()
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Department
        fields = ["kind", "code", "name", "is_active"]


# Real time zones lie between UTC−12:00 and UTC+14:00; PostgreSQL refuses offsets past ±15:59 (a 500).
MAX_UTC_OFFSET = dt.timedelta(hours=14)


class BoundedIsoDateTimeField(IsoDateTimeField):
    default_error_messages = {
        "offset": _("The time-zone offset must lie between -14:00 and +14:00."),
    }

    def to_python(self, value: Any) -> dt.datetime | None:
        moment = super().to_python(value)
        offset = moment.utcoffset() if moment is not None else None
        if offset is not None and abs(offset) > MAX_UTC_OFFSET:
            raise forms.ValidationError(self.error_messages["offset"], code="offset")
        return moment


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    """ISO 8601 date-time filter that answers 400 for an offset no time zone has."""

    field_class = BoundedIsoDateTimeField
