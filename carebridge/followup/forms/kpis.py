"""The filters of the follow-up KPI pages and API: months, the dimension, the department."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.followup.models import CarePlan
from carebridge.followup.selectors.kpis import DIMENSIONS
from carebridge.lib.periods import parse_month_label


class KpiFilterForm(forms.Form):
    start = forms.CharField(label=gettext_lazy("From month"), required=False)
    end = forms.CharField(label=gettext_lazy("To month"), required=False)
    by = forms.ChoiceField(
        label=gettext_lazy("Per"),
        required=False,
        choices=[(code, dimension.label) for code, dimension in DIMENSIONS.items()],
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), required=False, queryset=CarePlan.objects.none()
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)  # noqa: S101 - declared above
        department.queryset = (
            departments_in_scope(user=user)
            .filter(Exists(CarePlan.objects.filter(department=OuterRef("pk"))))
            .order_by("name", "id")
        )
        department.empty_label = _("All departments in scope")
        department.widget.attrs["class"] = "form-select form-select-sm"

    def _month(self, name: str) -> dt.date | None:
        raw = self.cleaned_data.get(name)
        if not raw:
            return None
        month = parse_month_label(raw)
        if month is None:
            raise forms.ValidationError({name: _("Enter a month as YYYY-MM.")})
        return month

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = self._month("start"), self._month("end")
        if start and end and start > end:
            raise forms.ValidationError({"end": _("The last month is before the first.")})
        cleaned["start_month"], cleaned["end_month"] = start, end
        return cleaned
