"""Forms of the care-plan pages: the list filter, re-tier, mid-stay talk, interview done, close by hand."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateTimeInput, ServiceErrorsMixin, style_widgets
from carebridge.followup.choices import MidStayTrigger, PlanStatus, TierCode, TouchpointStatus

# How a person may close a touchpoint by hand (the rest follow from call outcomes and interviews).
CLOSE_BY_HAND: tuple[str, ...] = (TouchpointStatus.LOST, TouchpointStatus.CANCELLED, TouchpointStatus.SKIPPED)


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


class RetierForm(ServiceErrorsMixin, forms.Form):
    tier = forms.ChoiceField(label=_("New tier"), choices=TierCode.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class MidStayForm(ServiceErrorsMixin, forms.Form):
    trigger = forms.ChoiceField(label=_("Before"), choices=MidStayTrigger.choices)
    event_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
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
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to"]
        field.choices = [(s.value, s.label) for s in map(TouchpointStatus, CLOSE_BY_HAND)]
        style_widgets(self)
