"""The room's result form: one row per undone item of the room, the unit offered from the item's
convertible units, the grade or finding from the item's own list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import GRADES, ItemKind
from carebridge.checkup.domain.units import units_for
from carebridge.checkup.models import OrderedItem
from carebridge.core.forms.base import style_widgets


class ResultEntryForm(forms.Form):
    """``value_<order id>`` and, for numbers, ``unit_<order id>``; empty rows are skipped."""

    def __init__(self, *args: Any, orders: list[OrderedItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.orders = orders
        for order in orders:
            item = order.item
            key = str(order.pk)
            if item.kind == ItemKind.NUMERIC:
                self.fields[f"value_{key}"] = forms.CharField(label=item.name, required=False, max_length=32)
                units = units_for(item.unit, analyte=item.analyte) or [""]
                self.fields[f"unit_{key}"] = forms.ChoiceField(
                    label=_("Unit"), choices=[(u, u) for u in units], required=False, initial=units[0]
                )
            elif item.kind == ItemKind.GRADE:
                self.fields[f"value_{key}"] = forms.ChoiceField(
                    label=item.name, required=False, choices=[("", "—"), *[(g, g) for g in GRADES]]
                )
            elif item.kind == ItemKind.POSNEG:
                self.fields[f"value_{key}"] = forms.ChoiceField(
                    label=item.name,
                    required=False,
                    choices=[("", "—"), ("negative", _("negative")), ("positive", _("positive"))],
                )
            elif item.kind == ItemKind.CODED:
                self.fields[f"value_{key}"] = forms.ChoiceField(
                    label=item.name,
                    required=False,
                    choices=[("", "—"), *[(c.code, c.label) for c in item.coded_values.all()]],
                )
            else:
                self.fields[f"value_{key}"] = forms.CharField(
                    label=item.name, required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
        style_widgets(self, small=True)

    def rows(self) -> list[tuple[OrderedItem, Any, Any]]:
        """``(order, value field, unit field or None)`` for the template."""
        return [
            (
                order,
                self[f"value_{order.pk}"],
                self[f"unit_{order.pk}"] if f"unit_{order.pk}" in self.fields else None,
            )
            for order in self.orders
        ]

    def entered(self) -> list[tuple[OrderedItem, str, str]]:
        """``(order, value, unit)`` of the filled rows."""
        found = []
        for order in self.orders:
            value = str(self.cleaned_data.get(f"value_{order.pk}") or "").strip()
            if value:
                found.append((order, value, str(self.cleaned_data.get(f"unit_{order.pk}") or "")))
        return found
