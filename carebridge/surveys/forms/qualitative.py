"""Forms of the methods beyond questionnaires: recording an interview or focus group (its notes one point
per line, which the insights app codes into comment topics), opening an expert-panel review with its items
(one per line, ``code | text`` or just the text), and one expert's ratings of every item (1–4)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import DateInput, ServiceErrorsMixin, style_widgets
from carebridge.core.models import Department, Staff
from carebridge.core.selectors.organisation import departments_in_scope, staff_list
from carebridge.core.validators import COUNT_MAX
from carebridge.lib.stats.cvi import SCALE
from carebridge.surveys.models import RespondentGroup, ReviewItem, SessionKind

DATE = DateInput()
RATING_LABELS = {
    1: _("1 not relevant"),
    2: _("2 somewhat relevant"),
    3: _("3 quite relevant"),
    4: _("4 highly relevant"),
}


class _StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        return str(obj.name)


class SessionForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SessionKind.choices)
    group = forms.ChoiceField(label=_("Respondents"), choices=RespondentGroup.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Empty for a hospital-wide session."),
    )
    facilitator = _StaffChoice(label=_("Facilitator"), queryset=Staff.objects.none())
    participants = forms.IntegerField(
        label=_("Number of participants"), min_value=1, max_value=COUNT_MAX, initial=1
    )
    guide = forms.CharField(
        label=_("Interview guide"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    notes = forms.CharField(
        label=_("Notes (one point per line)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Each line is coded into the comment topics the insights app finds in survey comments."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate(), "participants": 1})
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_in_scope(user=user).order_by("name", "id")  # type: ignore[attr-defined]
        self.fields["facilitator"].queryset = (  # type: ignore[attr-defined]
            staff_list(user=user).filter(is_active=True).order_by("name", "id")
        )
        staff_record = getattr(user, "staff", None)
        if staff_record is not None and not self.is_bound:
            self.initial.setdefault("facilitator", staff_record.pk)
        style_widgets(self)


_CODED = re.compile(r"^(?P<code>[^|]{1,16})\|(?P<text>.+)$")


def review_items(text: str) -> list[ReviewItem]:
    """The items of the box, one per line: ``code | text``, or the text alone (numbered 1, 2, …)."""
    items: list[ReviewItem] = []
    for number, line in enumerate((raw.strip() for raw in text.splitlines() if raw.strip()), start=1):
        match = _CODED.match(line)
        if match and match["code"].strip() and match["text"].strip():
            items.append(ReviewItem(code=match["code"].strip(), text=match["text"].strip()))
        else:
            items.append(ReviewItem(code=str(number), text=line))
    return items


class ReviewForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    subject = forms.CharField(label=_("What is reviewed"), max_length=200, required=False)
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    items = forms.CharField(
        label=_("Items (one per line)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Write “code | text” to give an item its code; an item without one is numbered."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean_items(self) -> list[ReviewItem]:
        items = review_items(self.cleaned_data["items"])
        if not items:
            raise forms.ValidationError(_("Write at least one item."))
        if len(items) > 100:
            raise forms.ValidationError(_("At most 100 items."))
        return items


class RatingForm(ServiceErrorsMixin, forms.Form):
    """One expert's ratings: their name and field, and a 1–4 choice per item of the review."""

    expert = forms.CharField(label=_("Expert"), max_length=64)
    expertise = forms.CharField(label=_("Field of expertise"), max_length=64, required=False)

    def __init__(self, *args: Any, items: list[ReviewItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [(value, RATING_LABELS[value]) for value in SCALE]
        for index, item in enumerate(items):
            self.fields[self.field_name(index)] = forms.TypedChoiceField(
                label=f"{item['code']}. {item['text']}",
                choices=[("", "—"), *choices],
                coerce=int,
                error_messages={"required": _("Rate this item.")},
            )
        style_widgets(self, small=True)

    @staticmethod
    def field_name(index: int) -> str:
        """Named by position: an item's code may hold any character."""
        return f"item_{index}"

    def rating_fields(self) -> list[Any]:
        return [self[self.field_name(index)] for index in range(len(self.items))]

    def ratings(self) -> dict[str, int]:
        return {item["code"]: self.cleaned_data[self.field_name(i)] for i, item in enumerate(self.items)}
