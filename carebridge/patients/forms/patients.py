"""The registration and edit form of a patient. It parses and validates input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput
from carebridge.core.validators import normalise_national_id, validate_national_id, validate_region_code
from carebridge.patients.choices import Sex
from carebridge.patients.services.patients import PhoneInput


class PatientForm(forms.Form):
    """Registration and edit form. On edit, an empty national ID field means "leave it as it is"."""

    mrn = forms.CharField(label=_("Medical record number"), max_length=32)
    name = forms.CharField(label=_("Full name"), max_length=64)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    national_id = forms.CharField(label=_("National ID"), max_length=18, required=False)
    region = forms.CharField(
        label=_("Region code (GB/T 2260)"),
        max_length=6,
        required=False,
        help_text=_("Six digits, e.g. 320106 for 南京市鼓楼区."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phones = forms.CharField(
        label=_("Phone numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line; the first is the primary number."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    contact_consent = forms.BooleanField(
        label=_("Consents to be contacted (follow-up calls)"), required=False
    )
    survey_consent = forms.BooleanField(label=_("Consents to satisfaction surveys"), required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            else:
                widget.attrs["class"] = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if editing:
            self.fields["national_id"].help_text = _("Leave empty to keep the current number.")
            self.fields["phones"].help_text = _(
                "Leave empty to keep the current numbers; one per line to replace them."
            )

    def clean_national_id(self) -> str:
        value = normalise_national_id(self.cleaned_data.get("national_id") or "")
        if value:
            validate_national_id(value)
        return value

    def clean_region(self) -> str:
        value = (self.cleaned_data.get("region") or "").strip()
        if value:
            validate_region_code(value)
        return value

    def clean_phones(self) -> list[PhoneInput]:
        lines = [
            line.strip() for line in (self.cleaned_data.get("phones") or "").splitlines() if line.strip()
        ]
        return [PhoneInput(number=line, is_primary=index == 0) for index, line in enumerate(lines)]

    def clean_tags(self) -> list[str]:
        raw = (self.cleaned_data.get("tags") or "").replace("，", ",")
        return [tag.strip() for tag in raw.split(",") if tag.strip()]

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values: dict[str, Any] = {
            "mrn": data["mrn"],
            "name": data["name"],
            "sex": data["sex"],
            "birth_date": data["birth_date"],
            "region_id": data["region"] or None,
            "address": data["address"],
            "contact_consent": data["contact_consent"],
            "survey_consent": data["survey_consent"],
        }
        if data["national_id"] or not self.editing:
            values["national_id"] = data["national_id"]
        return values

    def apply_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError on the matching fields of this form."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
