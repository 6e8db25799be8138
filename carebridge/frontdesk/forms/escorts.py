"""Forms of escorts (陪诊送诊): the request and the transition. They parse; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateTimeInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department, Staff
from carebridge.core.selectors.organisation import department_list, staff_list
from carebridge.frontdesk.choices import (
    EscortStatus,
    Mobility,
)
from carebridge.frontdesk.forms.inquiries import staff_label


class EscortForm(ServiceErrorsMixin, forms.Form):
    patient_mrn = forms.CharField(label=_("Patient (MRN)"), max_length=32, required=False)
    patient_name = forms.CharField(
        label=_("Patient name"), max_length=64, required=False, help_text=_("When not a registered patient.")
    )
    from_place = forms.CharField(label=_("From"), max_length=128)
    to_place = forms.CharField(label=_("To"), max_length=128)
    scheduled_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    mobility = forms.ChoiceField(label=_("Mobility"), choices=Mobility.choices)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["department"].queryset = department_list(user=user).filter(is_active=True)
        style_widgets(self)


class EscortTransitionForm(ServiceErrorsMixin, forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=EscortStatus.choices)
    staff = forms.ModelChoiceField(label=_("Accompanied by"), queryset=Staff.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(
        self, *args: Any, user: Any, allowed: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        """``allowed``: the ``(status, label)`` moves to offer (``services.escorts.LIFECYCLE``)."""
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if allowed is not None:
            fields["to"].choices = allowed
        fields["staff"].queryset = (
            staff_list(user=user).filter(is_active=True, kind__in=["agent", "nurse"]).order_by("kind", "name")
        )
        fields["staff"].label_from_instance = staff_label
        style_widgets(self)
