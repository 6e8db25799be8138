"""Forms of employer groups: the group, a contract with up to six employee classes, a roster file,
booking the roster for a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import Channel, OccupationClass, RosterMode, SexScope
from carebridge.checkup.models import Package
from carebridge.core.forms.base import DateInput, ServiceErrorsMixin, style_widgets

CLASS_ROWS = 6


class GroupForm(ServiceErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=128)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.INDIVIDUAL]
    )
    occupation_class = forms.ChoiceField(label=_("Occupation class"), choices=OccupationClass.choices)
    contact_name = forms.CharField(label=_("Contact person"), max_length=64, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class ContractForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=128)
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until"), widget=DateInput())

    def __init__(self, *args: Any, packages: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["starts_on"].initial = dt.date(year, 1, 1)
        self.fields["ends_on"].initial = dt.date(year, 12, 31)
        for index in range(CLASS_ROWS):
            self.fields[f"class_{index}_name"] = forms.CharField(
                label=_("Employee class"), max_length=64, required=False
            )
            self.fields[f"class_{index}_sex"] = forms.ChoiceField(
                label=_("For"), choices=SexScope.choices, required=False
            )
            self.fields[f"class_{index}_package"] = forms.ModelChoiceField(
                label=_("Package"), queryset=packages.exclude(kind="addon"), required=False
            )
            self.fields[f"class_{index}_price"] = forms.DecimalField(
                label=_("Price per person (yuan)"),
                max_digits=8,
                decimal_places=2,
                required=False,
                min_value=0,
            )
        style_widgets(self, small=True)

    def class_rows(self) -> list[list[Any]]:
        return [
            [self[f"class_{i}_{part}"] for part in ("name", "sex", "package", "price")]
            for i in range(CLASS_ROWS)
        ]

    def classes(self) -> list[dict[str, Any]]:
        found = []
        for index in range(CLASS_ROWS):
            name = self.cleaned_data.get(f"class_{index}_name")
            package: Package | None = self.cleaned_data.get(f"class_{index}_package")
            if name and package is not None:
                price = self.cleaned_data.get(f"class_{index}_price")
                found.append(
                    {
                        "name": name,
                        "sex": self.cleaned_data.get(f"class_{index}_sex") or SexScope.ANY,
                        "package": package,
                        "price": price if price is not None else package.price,
                    }
                )
        return found


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("Roster (Excel .xlsx)"))
    mode = forms.ChoiceField(
        label=_("When some rows have errors"), choices=RosterMode.choices, initial=RosterMode.ALL_OR_NOTHING
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class RosterBookForm(forms.Form):
    scheduled_for = forms.DateField(label=_("Date"), widget=DateInput())
    limit = forms.IntegerField(
        label=_("How many people (not yet booked)"), min_value=1, max_value=500, initial=50
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
