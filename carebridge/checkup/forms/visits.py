"""Forms of registration and the day: booking (the person by their ID card, the package, add-ons and
single items), check-in, reasons, the scan field of a room, the guide nurse's move."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import Channel, OccupationClass
from carebridge.checkup.models import EmployerGroup, Item, Package, Room
from carebridge.core.forms.base import DateInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Staff
from carebridge.patients.choices import Sex


class BookingForm(ServiceErrorsMixin, forms.Form):
    """A booking at the registration desk: who (found in the registry by national ID, else registered),
    when, and what is examined."""

    name = forms.CharField(label=_("Full name"), max_length=64)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[(Sex.MALE, Sex.MALE.label), (Sex.FEMALE, Sex.FEMALE.label)]
    )
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput())
    national_id = forms.CharField(label=_("National ID"), max_length=18, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    scheduled_for = forms.DateField(label=_("Date"), widget=DateInput())
    package = forms.ModelChoiceField(label=_("Package"), queryset=Package.objects.none(), required=False)
    addons = forms.ModelMultipleChoiceField(
        label=_("Add-on modules (1+X)"),
        queryset=Package.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items = forms.ModelMultipleChoiceField(
        label=_("Single items"),
        queryset=Item.objects.none(),
        required=False,
        # Searchable (carebridge/pickers.js): the catalogue has a hundred items and more.
        widget=forms.SelectMultiple(attrs={"size": 6, "data-picker": "multi"}),
    )
    group = forms.ModelChoiceField(
        label=_("Employer group"), queryset=EmployerGroup.objects.none(), required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.INDIVIDUAL)
    occupation_class = forms.ChoiceField(
        label=_("Occupation class"), choices=OccupationClass.choices, initial=OccupationClass.OTHER
    )
    # 专人陪检: any member of the centre's staff, not necessarily the person at the desk.
    escort = forms.ModelChoiceField(
        label=_("Dedicated escort (专人陪检)"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("No escort"),
    )

    def __init__(
        self, *args: Any, packages: Any, items: Any, groups: Any, escorts: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if escorts is not None:
            fields["escort"].queryset = escorts
            fields["escort"].label_from_instance = lambda staff: f"{staff.name} {staff.title}".strip()
        fields["package"].queryset = packages.exclude(kind="addon")
        fields["addons"].queryset = packages.filter(kind="addon")
        fields["items"].queryset = items
        fields["group"].queryset = groups
        self.fields["scheduled_for"].initial = timezone.localdate()
        style_widgets(self)

    def clean_scheduled_for(self) -> dt.date:
        day: dt.date = self.cleaned_data["scheduled_for"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The date is in the past."))
        return day


class CheckInForm(forms.Form):
    arrived_fasting = forms.BooleanField(label=_("Arrived fasting"), required=False, initial=True)
    pregnancy_possible = forms.BooleanField(label=_("A pregnancy is possible"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class EscortForm(forms.Form):
    """专人陪检 after booking: the escort, or none."""

    escort = forms.ModelChoiceField(
        label=_("Dedicated escort (专人陪检)"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("No escort"),
    )

    def __init__(self, *args: Any, escorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["escort"].queryset = escorts  # type: ignore[attr-defined]
        style_widgets(self, small=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255, widget=forms.TextInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


class ScanForm(forms.Form):
    number = forms.CharField(
        label=_("Scan the guide sheet"),
        max_length=20,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "placeholder": "TJ…"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class MoveForm(forms.Form):
    room = forms.ModelChoiceField(label=_("Send to"), queryset=Room.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=255, required=False)

    def __init__(self, *args: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["room"]
        field.queryset = rooms
        style_widgets(self, small=True)
