"""The code-mapping form: a sender's code (and its coding system) → a catalogue item."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.models import Item

_INPUT = "form-control form-control-sm"


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class CodeMappingForm(forms.Form):
    system = forms.CharField(
        label=_("Coding system"),
        max_length=128,
        required=False,
        widget=forms.TextInput(attrs={"class": _INPUT}),
    )
    code = forms.CharField(label=_("Code"), max_length=64, widget=forms.TextInput(attrs={"class": _INPUT}))
    item = ItemChoiceField(
        label=_("Catalogue item"),
        queryset=Item.objects.none(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101
        field.queryset = items
