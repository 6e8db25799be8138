"""What every app's server-rendered forms share: Bootstrap widget classes, the browser's date pickers,
and a service's ``ValidationError`` shown on the fields it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO (``2026-12-05``), whatever the language: Django
    would render a date in the active language's first input format (``2026/12/05`` in zh-hans), which an
    ``<input type="date">`` drops as invalid — the field showed empty and saving the form erased it."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, ISO to the minute (``2026-12-05T08:30``), as :class:`DateInput`."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def style_widgets(form: forms.Form, *, small: bool = False) -> None:
    """Give each widget its Bootstrap 5 class (``-sm`` sizes with ``small``); checkboxes keep theirs."""
    size = " form-select-sm" if small else ""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            continue
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs["class"] = "form-select" + size
        else:
            widget.attrs["class"] = "form-control" + (" form-control-sm" if small else "")


class ServiceErrorsMixin:
    """For forms whose data go to a service: ``apply_service_errors`` puts the service's
    ``ValidationError`` on the matching fields, and the rest at the top of the form."""

    def apply_service_errors(self, error: ValidationError) -> None:
        form: Any = self
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                form.add_error(name if name in form.fields else None, messages)
        else:
            form.add_error(None, error.messages)
