"""Forms of the improvement-action pages: raise an action, move it, the list's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput
from carebridge.core.models import Department, Staff
from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.performance.choices import ActionSource, ActionStatus
from carebridge.performance.selectors.measures import measure_choices


def _departments(user: Any) -> Any:
    return departments_in_scope(user=user).order_by("code", "id")


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What will be improved"), max_length=200)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Staff.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())
    source = forms.ChoiceField(label=_("Raised from"), choices=ActionSource.choices)
    plan = forms.CharField(label=_("Plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    measure = forms.ChoiceField(label=_("Measure it should move"), required=False)
    window_days = forms.IntegerField(
        label=_("Comparison window (days)"), min_value=7, max_value=366, initial=30
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = _departments(user)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        hospital_ids = departments.values("hospital_id")
        self.fields["owner"].queryset = Staff.objects.filter(hospital__in=hospital_ids).order_by("name", "id")  # type: ignore[attr-defined]
        self.fields["measure"].choices = [("", _("— none —")), *measure_choices()]  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=ActionStatus.choices)
    reason = forms.CharField(label=_("Why"), required=False, max_length=500)

    def __init__(self, *args: Any, allowed: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = allowed  # type: ignore[attr-defined]


class ActionFilterForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Raised from"), choices=[("", _("All")), *ActionSource.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *ActionStatus.choices], required=False
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _departments(user)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "source": data["source"],
            "status": data["status"],
            "department": data["department"].pk if data["department"] else "",
            "overdue": data["overdue"],
        }
