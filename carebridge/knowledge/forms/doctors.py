"""The doctor form, with the weekly grid of clinic sessions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Staff
from carebridge.knowledge.choices import ClinicType, HalfDay, Weekday
from carebridge.knowledge.forms.entries import EntryForm
from carebridge.knowledge.models import Doctor
from carebridge.knowledge.services.doctors import DOCTOR_FIELDS, SessionInput

HALF_DAYS = (HalfDay.MORNING, HalfDay.AFTERNOON, HalfDay.FULL_DAY)


class DoctorForm(EntryForm):
    """A doctor and the weekly grid of clinic sessions: one clinic-type choice and room per half-day."""

    model = Doctor
    field_names = DOCTOR_FIELDS

    def customise(self) -> None:
        self.fields["department"].queryset = self._departments()  # type: ignore[attr-defined]
        self.fields["staff"].queryset = Staff.objects.filter(  # type: ignore[attr-defined]
            hospital=self.hospital, kind="doctor", is_active=True
        ).order_by("name", "id")
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

    def sessions(self) -> list[SessionInput]:
        return [
            SessionInput(
                day,
                half,
                self.cleaned_data[f"type_{day}_{half}"],
                self.cleaned_data.get(f"room_{day}_{half}", ""),
            )
            for day in Weekday.values
            for half in HALF_DAYS
            if self.cleaned_data.get(f"type_{day}_{half}")
        ]
