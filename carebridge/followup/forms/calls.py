"""Forms of the call page: the outcome of an attempt with the script's answers, and an issue the patient
raised."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.complaints.choices import Category, Severity
from carebridge.core.forms.base import ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department
from carebridge.core.selectors.organisation import department_list
from carebridge.followup.choices import CallOutcome, ContactChannel, IssueKind, RecheckOutcome, ScriptTopic
from carebridge.followup.services.standalone import RecheckAnswer
from carebridge.patients.models import PatientPhone


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
            phones = PatientPhone.objects.filter(patient_id=touchpoint.patient_id)
            field: Any = self.fields["phone"]
            field.queryset = phones
            field.label_from_instance = lambda phone: f"{phone.masked} {phone.label}".strip()
        for topic, label in ScriptTopic.choices:
            if topic in (ScriptTopic.GREETING, ScriptTopic.CLOSING):
                continue
            if topic == ScriptTopic.STAY_QUESTIONS and touchpoint is not None and touchpoint.is_standalone:
                continue  # no stay to ask about
            self.fields[f"answer_{topic}"] = forms.CharField(label=label, required=False, max_length=500)
        if touchpoint is not None and touchpoint.is_standalone:
            # A call about a finding: did the person see a doctor, and what was found.
            self.fields["saw_doctor"] = forms.TypedChoiceField(
                label=_("Has the person seen a doctor about it?"),
                choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                required=False,
            )
            self.fields["recheck_outcome"] = forms.ChoiceField(
                label=_("Recheck outcome"), choices=[("", "—"), *RecheckOutcome.choices], required=False
            )
            self.fields["finding"] = forms.CharField(
                label=_("What the doctor found"), required=False, max_length=500
            )
        style_widgets(self)

    def recheck(self) -> RecheckAnswer | None:
        """The recheck answer, when the agent chose an outcome (the service checks it fits)."""
        outcome = self.cleaned_data.get("recheck_outcome")
        if not outcome:
            return None
        return RecheckAnswer(
            outcome=outcome,
            saw_doctor=self.cleaned_data.get("saw_doctor") == "yes",
            finding=self.cleaned_data.get("finding") or "",
        )

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
