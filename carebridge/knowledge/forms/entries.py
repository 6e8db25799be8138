"""Forms of the living dictionary's entries. They parse input; the services validate the domain and write.

Plain forms built from the model fields (not ModelForms, which would change the instance before the
service compares old and new values for the audit row)."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital
from carebridge.knowledge.models import DepartmentProfile, ExternalHospital, Faq, HospitalProfile, Service
from carebridge.knowledge.services.catalogue import SERVICE_FIELDS
from carebridge.knowledge.services.faq import FAQ_FIELDS
from carebridge.knowledge.services.profiles import DEPARTMENT_PROFILE_FIELDS, HOSPITAL_PROFILE_FIELDS
from carebridge.knowledge.services.referrals import EXTERNAL_FIELDS


class EntryForm(forms.Form):
    """The model's editable fields, plus "mark verified"; ``values()`` is what the service receives."""

    model: ClassVar[type[Model]]
    field_names: ClassVar[tuple[str, ...]]

    def __init__(self, *args: Any, hospital: Hospital, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hospital = hospital
        for name, field in forms.fields_for_model(self.model, fields=self.field_names).items():
            self.fields[name] = field
        self.fields["mark_verified"] = forms.BooleanField(
            label=_("I have checked this entry: mark it verified"), required=False, initial=True
        )
        self.customise()
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 3

    def customise(self) -> None:
        """Narrow choices to the hospital (a hook for subclasses)."""

    def _departments(self) -> Any:
        return Department.objects.filter(
            hospital=self.hospital, is_active=True, kind__in=["clinical", "medical_technical"]
        ).order_by("code")

    def main_fields(self) -> list[Any]:
        """The entry's own fields as bound fields, in model order (the template adds the rest)."""
        return [self[name] for name in self.field_names]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.field_names if name in self.cleaned_data}

    @property
    def mark_verified(self) -> bool:
        return bool(self.cleaned_data.get("mark_verified"))

    def apply_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class HospitalProfileForm(EntryForm):
    model = HospitalProfile
    field_names = HOSPITAL_PROFILE_FIELDS


class DepartmentProfileForm(EntryForm):
    model = DepartmentProfile
    field_names = DEPARTMENT_PROFILE_FIELDS


class ServiceForm(EntryForm):
    model = Service
    field_names = SERVICE_FIELDS

    def customise(self) -> None:
        self.fields["department"].queryset = self._departments()  # type: ignore[attr-defined]


class ExternalHospitalForm(EntryForm):
    model = ExternalHospital
    field_names = EXTERNAL_FIELDS

    def customise(self) -> None:
        # Three thousand regions make a poor drop-down: the GB/T 2260 code is typed (320106 = 南京市鼓楼区).
        self.fields["region"] = forms.CharField(
            label=_("Region code (GB/T 2260)"),
            max_length=6,
            required=False,
            help_text=_("Six digits, e.g. 320106 for 南京市鼓楼区."),
        )


class FaqForm(EntryForm):
    model = Faq
    field_names = FAQ_FIELDS
