"""Forms of the inspection pages: a round, a finding with photos, a rectification, a verification."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput, ServiceErrorsMixin, style_widgets
from carebridge.performance.choices import RoundKind
from carebridge.performance.models import InspectionArea


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each one (type, size, content)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class RoundForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=RoundKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=InspectionArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas  # type: ignore[attr-defined]
        style_widgets(self)


class FindingForm(ServiceErrorsMixin, forms.Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=InspectionArea.objects.none())
    checklist_item = forms.CharField(label=_("Checklist item"), required=False, max_length=128)
    description = forms.CharField(label=_("What was found"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateField(label=_("Deadline"), widget=DateInput())
    photos = MultipleFileField(label=_("Photos"), required=False)

    def __init__(self, *args: Any, areas: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        style_widgets(self)


class RectifyForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleFileField(label=_("Photos of the rectified place"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class VerifyForm(ServiceErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Verified on the spot")), ("reject", _("Send back"))]
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)
