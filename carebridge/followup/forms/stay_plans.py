"""Forms of the stay plan: agreeing it (doctor, nurse, items one per line), adding and closing an item,
and the introduction checklist of the admission interview."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.choices import StaffKind
from carebridge.core.forms.base import DateInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Staff
from carebridge.followup.choices import IntroductionTopic, StayItemStatus


class StayPlanForm(ServiceErrorsMixin, forms.Form):
    doctor = forms.ModelChoiceField(label=_("Attending doctor"), queryset=Staff.objects.none())
    nurse = forms.ModelChoiceField(label=_("Nurse"), queryset=Staff.objects.none())
    items = forms.CharField(label=_("Agreed items (one per line)"), widget=forms.Textarea(attrs={"rows": 4}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = staff if staff is not None else Staff.objects.none()
        self.fields["doctor"].queryset = people.filter(kind=StaffKind.DOCTOR)  # type: ignore[attr-defined]
        self.fields["nurse"].queryset = people.filter(kind=StaffKind.NURSE)  # type: ignore[attr-defined]
        style_widgets(self)

    def item_inputs(self) -> list[dict[str, Any]]:
        return [{"text": line.strip()} for line in self.cleaned_data["items"].splitlines() if line.strip()]


class StayItemForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Item"), max_length=255)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class StayItemCloseForm(ServiceErrorsMixin, forms.Form):
    to = forms.ChoiceField(
        label=_("Close as"),
        choices=[
            (StayItemStatus.DONE, StayItemStatus.DONE.label),
            (StayItemStatus.DROPPED, StayItemStatus.DROPPED.label),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class IntroductionForm(ServiceErrorsMixin, forms.Form):
    topics = forms.MultipleChoiceField(
        label=_("Introduced at the admission interview"),
        choices=IntroductionTopic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


def stay_plan_form(plan: Any, data: Any = None) -> StayPlanForm:
    """The form to agree a care plan's stay plan, proposing the stay's attending doctor and primary nurse
    among the active staff of its department."""
    from carebridge.followup.selectors.stay_plans import ward_staff

    encounter = plan.encounter
    initial = {"doctor": encounter.attending_doctor_id, "nurse": encounter.primary_nurse_id}
    return StayPlanForm(data, staff=ward_staff(plan), initial=initial)
