"""Forms of the chief examiner: a conclusion line, the signature, a changed risk level, and the advice
library's entries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from carebridge.checkup.choices import Prescription, RiskLevel
from carebridge.checkup.models import AdviceRule, Item
from carebridge.core.forms.base import ServiceErrorsMixin, style_widgets


class FindingForm(ServiceErrorsMixin, forms.Form):
    finding = forms.CharField(label=_("Finding"), max_length=128)
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    advice = forms.CharField(label=_("Advice"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


class SignForm(ServiceErrorsMixin, forms.Form):
    summary = forms.CharField(label=_("Overall conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    prescriptions = forms.MultipleChoiceField(
        label=_("Health prescription"),
        choices=Prescription.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    unseen_reason = forms.CharField(
        label=_("If you have not seen the person: why you sign anyway"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class RiskOverrideForm(ServiceErrorsMixin, forms.Form):
    level = forms.TypedChoiceField(label=_("Risk level"), choices=RiskLevel.choices, coerce=int)
    reason = forms.CharField(label=_("Why it differs from the rules"), max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


class AdviceRuleForm(forms.ModelForm):
    prescriptions = forms.MultipleChoiceField(
        label=_("Health prescription"),
        choices=Prescription.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    codes_text = forms.CharField(
        label=_("Grades or finding codes (comma separated)"), required=False, max_length=255
    )

    class Meta:
        model = AdviceRule
        fields = [
            "code",
            "finding",
            "item",
            "operator",
            "threshold",
            "conclusion",
            "advice",
            "sequence",
            "is_active",
        ]

    def __init__(self, *args: Any, items: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        item_field: Any = self.fields["item"]
        item_field.queryset = items if items is not None else Item.objects.none()
        self.fields["codes_text"].initial = ", ".join(self.instance.codes or [])
        self.fields["prescriptions"].initial = list(self.instance.prescriptions or [])
        style_widgets(self)  # type: ignore[arg-type]  # a ModelForm is styled like a Form
