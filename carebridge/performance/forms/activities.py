"""Forms of the activity pages: an activity, its files, a free screening."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department
from carebridge.performance.forms.inspections import MultipleFileField, MultipleFileInput
from carebridge.performance.models import Activity, HealthDay


class ActivityForm(ServiceErrorsMixin, forms.ModelForm):
    attachments = MultipleFileField(
        label=_("Photos and documents"), required=False, widget=MultipleFileInput()
    )

    class Meta:
        model = Activity
        fields = [
            "kind", "title", "held_on", "place", "organiser", "partner", "health_day", "participants",
            "attendees", "hours", "boards", "banners", "leaflets", "prescriptions", "cost", "outlet",
            "effect",
        ]  # fmt: skip
        widgets = {
            "held_on": DateInput(),
            "effect": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, hospital_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Department.objects.filter(hospital_id=hospital_id, is_active=True)  # type: ignore[attr-defined]
        self.fields["health_day"].queryset = HealthDay.objects.filter(hospital_id=hospital_id, is_active=True)  # type: ignore[attr-defined]
        style_widgets(self)  # type: ignore[arg-type]


class AttachForm(forms.Form):
    attachments = MultipleFileField(label=_("Photos and documents"), widget=MultipleFileInput())


SEX_CHOICES = [("M", _("Male")), ("F", _("Female"))]


class ScreeningForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=64)
    sex = forms.ChoiceField(label=_("Sex"), choices=SEX_CHOICES)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput())
    phone = forms.CharField(label=_("Mobile"), max_length=20, required=False)
    sbp = forms.CharField(label=_("Systolic BP (mmHg)"), required=False, max_length=8)
    dbp = forms.CharField(label=_("Diastolic BP (mmHg)"), required=False, max_length=8)
    glu = forms.CharField(label=_("Glucose (mmol/L)"), required=False, max_length=8)
    consent = forms.BooleanField(label=_("The person consents to filing the results"), required=False)

    ITEMS = {"sbp": "SBP", "dbp": "DBP", "glu": "GLU"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)

    def values(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[field] for field, code in self.ITEMS.items() if self.cleaned_data[field]
        }
