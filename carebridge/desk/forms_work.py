"""Forms of the desk's daily work: inquiries, escorts, handover and work logs. They parse; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department, Staff
from carebridge.core.selectors.organisation import department_list, staff_list
from carebridge.desk.choices_work import (
    ESCORT_TRANSITIONS,
    EscortStatus,
    InquiryCategory,
    InquiryChannel,
    Mobility,
)
from carebridge.knowledge.models import ExternalHospital
from carebridge.knowledge.selectors.entries import external_hospital_list


def _staff_label(staff: Any) -> str:
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
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
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
        fields["recommended_doctor"].label_from_instance = _staff_label
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


class EscortForm(ServiceErrorsMixin, forms.Form):
    patient_mrn = forms.CharField(label=_("Patient (MRN)"), max_length=32, required=False)
    patient_name = forms.CharField(
        label=_("Patient name"), max_length=64, required=False, help_text=_("When not a registered patient.")
    )
    from_place = forms.CharField(label=_("From"), max_length=128)
    to_place = forms.CharField(label=_("To"), max_length=128)
    scheduled_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    mobility = forms.ChoiceField(label=_("Mobility"), choices=Mobility.choices)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = department_list(user=user).filter(is_active=True)
        style_widgets(self)


class EscortTransitionForm(ServiceErrorsMixin, forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=EscortStatus.choices)
    staff = forms.ModelChoiceField(label=_("Accompanied by"), queryset=Staff.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, current: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if current is not None:
            allowed = ESCORT_TRANSITIONS.get(current, frozenset())
            fields["to"].choices = [(v, label) for v, label in EscortStatus.choices if v in allowed]
        fields["staff"].queryset = (
            staff_list(user=user).filter(is_active=True, kind__in=["agent", "nurse"]).order_by("kind", "name")
        )
        fields["staff"].label_from_instance = _staff_label
        style_widgets(self)


class HandoverNotesForm(ServiceErrorsMixin, forms.Form):
    notes = forms.CharField(label=_("Notes for the next shift"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class AcknowledgeForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class WorkLogForm(ServiceErrorsMixin, forms.Form):
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
