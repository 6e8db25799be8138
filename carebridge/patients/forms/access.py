"""The form that asks why a user reveals a patient's identifiers (the reason goes into the access log)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.patients.choices import RevealField


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("Recorded in the access log, e.g. 回访电话 (follow-up call)."),
    )
    show = forms.MultipleChoiceField(
        label=_("Show"),
        choices=RevealField.choices,
        initial=[RevealField.NATIONAL_ID, RevealField.PHONES],
        widget=forms.CheckboxSelectMultiple,
    )
