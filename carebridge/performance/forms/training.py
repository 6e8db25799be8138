"""Forms of the training pages: a session, one attendance, an attendance sheet import."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Staff
from carebridge.performance.choices import ImportMode
from carebridge.performance.models import Course


class SessionForm(ServiceErrorsMixin, forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    trainer = forms.CharField(label=_("Trainer"), max_length=64)
    place = forms.CharField(label=_("Place"), max_length=128, required=False)
    cost = forms.DecimalField(label=_("Cost (yuan)"), min_value=0, decimal_places=2, initial=0)

    def __init__(self, *args: Any, courses: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses  # type: ignore[attr-defined]
        style_widgets(self, small=True)


class AttendanceForm(ServiceErrorsMixin, forms.Form):
    staff = forms.ModelChoiceField(label=_("Staff"), queryset=Staff.objects.none())
    score = forms.DecimalField(label=_("Score"), required=False, min_value=0, max_value=100, decimal_places=1)

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff  # type: ignore[attr-defined]
        style_widgets(self, small=True)


class ImportForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(label=_("Attendance sheet (.xlsx or .csv)"))
    mode = forms.ChoiceField(label=_("Mode"), choices=ImportMode.choices, initial=ImportMode.ALL_OR_NOTHING)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)
