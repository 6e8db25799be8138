"""Forms of the living dictionary's pages. They parse input; the services validate the domain and write.

Plain forms built from the model fields (not ModelForms, which would change the instance before the
service compares old and new values for the audit row).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.knowledge import services
from carebridge.knowledge.choices import ClinicType, HalfDay, Weekday
from carebridge.knowledge.models import (
    DepartmentProfile,
    Doctor,
    ExternalHospital,
    Faq,
    HospitalProfile,
    Service,
)


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
        if value and not (value.isdigit() and len(value) == 6):
            raise ValidationError(_("A region code has six digits."))
        return value


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
    field_names = services.HOSPITAL_PROFILE_FIELDS


class DepartmentProfileForm(EntryForm):
    model = DepartmentProfile
    field_names = services.DEPARTMENT_PROFILE_FIELDS


class ServiceForm(EntryForm):
    model = Service
    field_names = services.SERVICE_FIELDS

    def customise(self) -> None:
        self.fields["department"].queryset = self._departments()  # type: ignore[attr-defined]


class ExternalHospitalForm(EntryForm):
    model = ExternalHospital
    field_names = services.EXTERNAL_FIELDS

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
    field_names = services.FAQ_FIELDS


HALF_DAYS = (HalfDay.MORNING, HalfDay.AFTERNOON, HalfDay.FULL_DAY)


class DoctorForm(EntryForm):
    """A doctor and the weekly grid of clinic sessions: one clinic-type choice and room per half-day."""

    model = Doctor
    field_names = services.DOCTOR_FIELDS

    def customise(self) -> None:
        self.fields["department"].queryset = self._departments()  # type: ignore[attr-defined]
        self.fields["staff"].queryset = Staff.objects.filter(  # type: ignore[attr-defined]
            hospital=self.hospital, kind="doctor", is_active=True
        ).order_by("name")
        self.fields["staff"].required = False
        type_choices = [("", "—"), *ClinicType.choices]
        for day in Weekday.values:
            for half in HALF_DAYS:
                self.fields[f"type_{day}_{half}"] = forms.ChoiceField(
                    choices=type_choices, required=False, label=f"{Weekday(day).label} {HalfDay(half).label}"
                )
                self.fields[f"room_{day}_{half}"] = forms.CharField(
                    max_length=64, required=False, label=_("Room")
                )

    @staticmethod
    def session_initial(doctor: Doctor) -> dict[str, str]:
        initial = {}
        for session in doctor.sessions.all():
            initial[f"type_{session.weekday}_{session.half_day}"] = session.clinic_type
            initial[f"room_{session.weekday}_{session.half_day}"] = session.room
        return initial

    def grid(self) -> list[tuple[str, list[tuple[Any, Any]]]]:
        """Rows of the schedule grid: (half-day label, [(type field, room field) per weekday])."""
        return [
            (
                str(HalfDay(half).label),
                [(self[f"type_{day}_{half}"], self[f"room_{day}_{half}"]) for day in Weekday.values],
            )
            for half in HALF_DAYS
        ]

    def sessions(self) -> list[services.SessionInput]:
        return [
            services.SessionInput(
                day,
                half,
                self.cleaned_data[f"type_{day}_{half}"],
                self.cleaned_data.get(f"room_{day}_{half}", ""),
            )
            for day in Weekday.values
            for half in HALF_DAYS
            if self.cleaned_data.get(f"type_{day}_{half}")
        ]
