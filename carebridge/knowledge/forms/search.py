"""The search form of the living dictionary."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carebridge.lib.text import is_digits


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    region = forms.CharField(
        label=_("Patient's home region code"),
        max_length=6,
        required=False,
        help_text=_("Optional: rank external hospitals nearest to the patient's home."),
    )

    def clean_region(self) -> str:
        value = (self.cleaned_data.get("region") or "").strip()
        if value and not (is_digits(value) and len(value) == 6):
            raise ValidationError(_("A region code has six digits."))
        return value
