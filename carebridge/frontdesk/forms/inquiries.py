"""Forms of inquiries (咨询分诊): quick entry and the full form, and the call-back answer. They parse;
services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateTimeInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department, Staff
from carebridge.core.selectors.organisation import department_list, staff_list
from carebridge.frontdesk.choices import (
    InquiryCategory,
    InquiryChannel,
)
from carebridge.knowledge.models import ExternalHospital
from carebridge.knowledge.selectors.entries import external_hospital_list


def staff_label(staff: Any) -> str:
    department = staff.home_department.name if staff.home_department else ""
    return f"{staff.name} {staff.title} {department}".strip()


class InquiryForm(ServiceErrorsMixin, forms.Form):
    """Quick entry on the workspace and the full form: the question, and the answer when given at once."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=InquiryChannel.choices, initial=InquiryChannel.WALK_IN
    )
    category = forms.ChoiceField(label=_("Category"), choices=InquiryCategory.choices)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(
        label=_("Answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Leave empty to call back later: the inquiry stays open and is handed over."),
    )
    asker_name = forms.CharField(label=_("Asked by"), max_length=64, required=False)
    patient_mrn = forms.CharField(label=_("Patient (MRN)"), max_length=32, required=False)
    recommended_department = forms.ModelChoiceField(
        label=_("Recommended department"), queryset=Department.objects.none(), required=False
    )
    recommended_doctor = forms.ModelChoiceField(
        label=_("Recommended doctor"), queryset=Staff.objects.none(), required=False
    )
    referred_hospital = forms.ModelChoiceField(
        label=_("Referred to (external hospital)"), queryset=ExternalHospital.objects.none(), required=False
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty for now."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["recommended_department"].queryset = department_list(user=user).filter(
            kind__in=["clinical", "medical_technical"], is_active=True
        )
        fields["recommended_doctor"].queryset = (
            staff_list(user=user)
            .filter(kind="doctor", is_active=True)
            .order_by("home_department__code", "name")
        )
        fields["recommended_doctor"].label_from_instance = staff_label
        fields["referred_hospital"].queryset = external_hospital_list(user=user).filter(is_active=True)
        # The workspace's compact form shows no labels: the empty choice says what the list is for.
        for name in ("recommended_department", "recommended_doctor", "referred_hospital"):
            fields[name].empty_label = f"— {fields[name].label} —"
            fields[name].widget.attrs["aria-label"] = fields[name].label
        style_widgets(self)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select | forms.SelectMultiple):
                field.widget.attrs["class"] = "form-select form-select-sm"
            elif not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-control form-control-sm"


class AnswerForm(ServiceErrorsMixin, forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
