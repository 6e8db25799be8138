"""Forms of the follow-up pages. They parse and validate input; the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.complaints.choices import Category, Severity
from carebridge.core.forms.base import ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department
from carebridge.core.selectors.organisation import department_list
from carebridge.followup.choices import (
    CallOutcome,
    ContactChannel,
    IssueKind,
    MidStayTrigger,
    PlanStatus,
    ScriptTopic,
    TierCode,
)
from carebridge.patients.models import PatientPhone


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *PlanStatus.choices], required=False
    )
    tier = forms.ChoiceField(label=_("Tier"), choices=[("", _("All")), *TierCode.choices], required=False)
    ward = forms.IntegerField(label=_("Ward"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, wards: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].widget.choices = [("", _("All")), *((w.pk, str(w)) for w in wards)]
        style_widgets(self)


class OutcomeForm(ServiceErrorsMixin, forms.Form):
    """The outcome of one attempt, with the answers to the script's sections."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=ContactChannel.choices, initial=ContactChannel.PHONE
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=CallOutcome.choices)
    phone = forms.ModelChoiceField(
        label=_("Number dialled"), queryset=PatientPhone.objects.none(), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, touchpoint: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if touchpoint is not None:
            phones = PatientPhone.objects.filter(patient_id=touchpoint.plan.patient_id)
            field: Any = self.fields["phone"]
            field.queryset = phones
            field.label_from_instance = lambda phone: f"{phone.masked} {phone.label}".strip()
        for topic, label in ScriptTopic.choices:
            if topic in (ScriptTopic.GREETING, ScriptTopic.CLOSING):
                continue
            self.fields[f"answer_{topic}"] = forms.CharField(label=label, required=False, max_length=500)
        style_widgets(self)

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("answer_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_") and value
        }


class IssueForm(ServiceErrorsMixin, forms.Form):
    """Something the patient raised: a complaint or need (a desk case), or a question for the department."""

    kind = forms.ChoiceField(label=_("Kind"), choices=IssueKind.choices)
    text = forms.CharField(label=_("What was raised"), widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Suggest from the text")), *Category.choices], required=False
    )
    severity = forms.TypedChoiceField(label=_("Severity"), choices=Severity.choices, coerce=int, initial=1)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            field: Any = self.fields["department"]
            field.queryset = department_list(user=user)
        style_widgets(self)


class RetierForm(ServiceErrorsMixin, forms.Form):
    tier = forms.ChoiceField(label=_("New tier"), choices=TierCode.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class MidStayForm(ServiceErrorsMixin, forms.Form):
    trigger = forms.ChoiceField(label=_("Before"), choices=MidStayTrigger.choices)
    event_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    description = forms.CharField(label=_("What"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class CompleteForm(ServiceErrorsMixin, forms.Form):
    """An interview or talk done; the admission interview also fills the customer file."""

    notes = forms.CharField(label=_("What was talked about"), widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.CharField(label=_("Outcome"), max_length=255, required=False)
    needs = forms.CharField(
        label=_("Needs (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    expectations = forms.CharField(label=_("Expectations"), required=False, max_length=500)
    preferences = forms.CharField(label=_("Preferences"), required=False, max_length=500)
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=64)
    contact_relationship = forms.CharField(label=_("Relationship"), required=False, max_length=32)
    contact_phone = forms.CharField(label=_("Contact phone"), required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def customer_file(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "needs": [line.strip() for line in data.get("needs", "").splitlines() if line.strip()],
            "expectations": data.get("expectations", ""),
            "preferences": data.get("preferences", ""),
            "contacts": [],
        }
        if data.get("contact_name"):
            values["contacts"] = [
                {
                    "name": data["contact_name"],
                    "relationship": data.get("contact_relationship", ""),
                    "phone": data.get("contact_phone", ""),
                }
            ]
        return values if any(values.values()) else {}


class CloseForm(ServiceErrorsMixin, forms.Form):
    to = forms.ChoiceField(label=_("Close as"), choices=[])
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from carebridge.followup.choices import TouchpointStatus

        super().__init__(*args, **kwargs)
        field: Any = self.fields["to"]
        field.choices = [
            (s.value, s.label)
            for s in (TouchpointStatus.LOST, TouchpointStatus.CANCELLED, TouchpointStatus.SKIPPED)
        ]
        style_widgets(self)
