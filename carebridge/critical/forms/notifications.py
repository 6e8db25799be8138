"""Forms of the notification page: an attempt and its outcome, the reason for revealing contacts, the
supervisor's sign-off."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.critical.choices import LadderStep, Outcome

_INPUT = {"class": "form-control form-control-sm"}
_SELECT = {"class": "form-select form-select-sm"}


class AttemptForm(forms.Form):
    step = forms.ChoiceField(label=_("Ladder step"), choices=LadderStep.choices, widget=forms.Select(_SELECT))
    number = forms.CharField(
        label=_("Number dialled"), max_length=32, required=False, widget=forms.TextInput(_INPUT)
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.Select(_SELECT))
    answered_by = forms.CharField(
        label=_("Who answered"), max_length=64, required=False, widget=forms.TextInput(_INPUT)
    )
    read_back = forms.CharField(
        label=_("What they read back"), required=False, widget=forms.Textarea({**_INPUT, "rows": 2})
    )
    advice = forms.CharField(
        label=_("Advice given"), required=False, widget=forms.Textarea({**_INPUT, "rows": 2})
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea({**_INPUT, "rows": 1}))


class ContactRevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        widget=forms.TextInput(_INPUT),
        help_text=_("Recorded in the access log, e.g. 危急值通知 (critical-result notification)."),
    )


class SignOffForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the person cannot be reached"), widget=forms.Textarea({**_INPUT, "rows": 2})
    )
