"""Forms of the instrument pages and of the builder. They parse input; the services validate and write.

The builder forms turn one node of the definition (survey texts, a dimension, an indicator, an item)
into its JSON shape with :meth:`node`; the whole definition is then checked by ``draft_update``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from carebridge.core.forms.base import ServiceErrorsMixin, style_widgets
from carebridge.lib.text import is_digits
from carebridge.surveys.choices import InstrumentKind, ItemType, RespondentClass
from carebridge.surveys.domain.instruments import LIKERT_POINTS, iter_items

MAX_IMPORT_BYTES = 1_000_000


class StyledForm(ServiceErrorsMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self, small=True)


class InstrumentMetaForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=128)
    name_en = forms.CharField(label=_("Name in English"), max_length=128, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=InstrumentKind.choices)
    respondent_class = forms.ChoiceField(
        label=_("Respondent class"),
        choices=RespondentClass.choices,
        help_text=_("Who answers it; waves using this instrument inherit it."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InstrumentCreateForm(InstrumentMetaForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_("Lower-case letters, digits and hyphens, e.g. ward-survey."),
    )
    field_order = ["code", "name", "name_en", "kind", "respondent_class", "description"]


class CopyForm(StyledForm):
    code = forms.SlugField(
        label=_("Code of the copy"), max_length=64, required=False, help_text=_("Empty: the library code.")
    )
    name = forms.CharField(label=_("Name of the copy"), max_length=128, required=False)


class ImportForm(StyledForm):
    file = forms.FileField(label=_("Instrument file (JSON)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 1 MB."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ValidationError(_("This is not a JSON file: %(error)s") % {"error": exc}) from exc


class JsonForm(StyledForm):
    definition = forms.CharField(label=_("Definition (JSON)"), widget=forms.Textarea(attrs={"rows": 24}))

    def clean_definition(self) -> Any:
        try:
            return json.loads(self.cleaned_data["definition"])
        except ValueError as exc:
            raise ValidationError(_("This is not valid JSON: %(error)s") % {"error": exc}) from exc


def _texts(zh: str, en: str) -> dict[str, str]:
    return {"zh-hans": zh.strip(), **({"en": en.strip()} if en.strip() else {})}


class SurveyTextForm(StyledForm):
    """The questionnaire's title and its first page (purpose and privacy)."""

    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    intro_zh = forms.CharField(
        label=_("First page: purpose and privacy (Chinese)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    intro_en = forms.CharField(
        label=_("First page: purpose and privacy (English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    @staticmethod
    def initial_for(definition: Mapping[str, Any]) -> dict[str, Any]:
        title, intro = definition.get("title") or {}, definition.get("intro") or {}
        return {
            "title_zh": title.get("zh-hans", ""),
            "title_en": title.get("en", ""),
            "intro_zh": intro.get("zh-hans", ""),
            "intro_en": intro.get("en", ""),
        }

    def apply(self, definition: Mapping[str, Any]) -> dict[str, Any]:
        data = self.cleaned_data
        result = dict(definition)
        result["title"] = _texts(data["title_zh"], data["title_en"])
        if data["intro_zh"].strip():
            result["intro"] = _texts(data["intro_zh"], data["intro_en"])
        else:
            result.pop("intro", None)
        return result


class GroupForm(StyledForm):
    """A dimension or an indicator: code, titles, weight (and, for a dimension, whether it is scored)."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z][A-Za-z0-9_]{0,31}$",
        help_text=_("Letters, digits and _; starts with a letter."),
    )
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    weight = forms.FloatField(label=_("Weight"), min_value=0, initial=1)
    scored = forms.BooleanField(label=_("Scored (counts in the overall index)"), required=False, initial=True)

    def __init__(self, *args: Any, level: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.level = level
        if level != "dimension":
            del self.fields["scored"]

    @staticmethod
    def initial_for(node: Mapping[str, Any]) -> dict[str, Any]:
        title = node.get("title") or {}
        return {
            "code": node.get("code", ""),
            "title_zh": title.get("zh-hans", ""),
            "title_en": title.get("en", ""),
            "weight": node.get("weight", 1),
            "scored": node.get("scored", True),
        }

    def node(self, original: Mapping[str, Any] | None = None) -> dict[str, Any]:
        data = self.cleaned_data
        node = dict(original or {})
        node.update(
            code=data["code"], title=_texts(data["title_zh"], data["title_en"]), weight=data["weight"]
        )
        if self.level == "dimension":
            if data.get("scored"):
                node.pop("scored", None)
            else:
                node["scored"] = False
        return node


def _value(text: str) -> Any:
    """An option value as typed: whole numbers become numbers, the rest stays text."""
    text = text.strip()
    return int(text) if is_digits(text.lstrip("-")) else text


class ItemForm(StyledForm):
    """One question: type and scale, flags, weight, texts, anchors or options, skip condition."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^[A-Za-z][A-Za-z0-9_]{0,31}$",
        help_text=_("Letters, digits and _; starts with a letter. Used in exports and analysis."),
    )
    type = forms.ChoiceField(label=_("Type"), choices=ItemType.choices)
    points = forms.TypedChoiceField(
        label=_("Points (Likert)"),
        choices=[(n, n) for n in sorted(LIKERT_POINTS)],
        coerce=int,
        initial=5,
        required=False,
        empty_value=None,
    )
    text_zh = forms.CharField(label=_("Question (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(
        label=_("Question (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    required = forms.BooleanField(label=_("Required"), required=False)
    na = forms.BooleanField(label=_("Offer “not applicable”"), required=False)
    reverse = forms.BooleanField(label=_("Reverse-keyed (agreeing is bad)"), required=False)
    weight = forms.FloatField(label=_("Weight within the indicator"), min_value=0, initial=1)
    labels_zh = forms.CharField(
        label=_("Scale anchors (Chinese, one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    labels_en = forms.CharField(
        label=_("Scale anchors (English, one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    options = forms.CharField(
        label=_("Options (one per line: value | Chinese | English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    show_if_item = forms.ChoiceField(label=_("Show only if the answer to"), required=False)
    show_if_values = forms.CharField(
        label=_("is one of (comma-separated values)"), required=False, max_length=200
    )

    def __init__(self, *args: Any, earlier_codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show_if: Any = self.fields["show_if_item"]
        show_if.choices = [("", _("(always shown)")), *[(code, code) for code in earlier_codes]]

    @staticmethod
    def initial_for(item: Mapping[str, Any]) -> dict[str, Any]:
        text, labels = item.get("text") or {}, item.get("labels") or {}
        condition = item.get("show_if") or {}
        options = [
            " | ".join(
                [
                    str(o.get("value")),
                    (o.get("label") or {}).get("zh-hans", ""),
                    (o.get("label") or {}).get("en", ""),
                ]
            )
            for o in item.get("options", [])
            if isinstance(o, dict)
        ]
        return {
            "code": item.get("code", ""),
            "type": item.get("type", ItemType.LIKERT),
            "points": item.get("points", 5),
            "text_zh": text.get("zh-hans", ""),
            "text_en": text.get("en", ""),
            "required": item.get("required", False),
            "na": item.get("na", False),
            "reverse": item.get("reverse", False),
            "weight": item.get("weight", 1),
            "labels_zh": "\n".join(labels.get("zh-hans", [])),
            "labels_en": "\n".join(labels.get("en", [])),
            "options": "\n".join(options),
            "show_if_item": condition.get("item", ""),
            "show_if_values": ", ".join(str(v) for v in condition.get("in", [])),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("type")
        if kind in (ItemType.SINGLE, ItemType.MULTIPLE):
            options = []
            for number, line in enumerate(
                filter(None, map(str.strip, data.get("options", "").splitlines())), 1
            ):
                parts = [part.strip() for part in line.split("|")]
                if len(parts) < 2 or not parts[0] or not parts[1]:
                    self.add_error(
                        "options", _("Line %(n)s: write value | Chinese | English.") % {"n": number}
                    )
                    continue
                label = _texts(parts[1], parts[2] if len(parts) > 2 else "")
                options.append({"value": _value(parts[0]), "label": label})
            if not options and "options" not in self.errors:
                self.add_error("options", _("A choice question needs options."))
            data["parsed_options"] = options
        if kind == ItemType.LIKERT:
            for name in ("labels_zh", "labels_en"):
                lines = [line.strip() for line in data.get(name, "").splitlines() if line.strip()]
                if lines and len(lines) != (data.get("points") or 5):
                    self.add_error(name, _("Give one anchor per point, or none."))
        if data.get("show_if_item") and not data.get("show_if_values", "").strip():
            self.add_error("show_if_values", _("Give the answers that show this question."))
        return data

    def node(self, original: Mapping[str, Any] | None = None) -> dict[str, Any]:
        data = self.cleaned_data
        node = dict(original or {})
        for stale in ("points", "labels", "options", "show_if"):
            node.pop(stale, None)
        kind = data["type"]
        node.update(
            code=data["code"],
            type=kind,
            text=_texts(data["text_zh"], data["text_en"]),
            required=data["required"],
            na=data["na"],
            reverse=data["reverse"],
            weight=data["weight"],
        )
        if kind == ItemType.LIKERT:
            node["points"] = data["points"] or 5
            labels = {
                language: [line.strip() for line in data[name].splitlines() if line.strip()]
                for language, name in (("zh-hans", "labels_zh"), ("en", "labels_en"))
            }
            labels = {language: lines for language, lines in labels.items() if lines}
            if labels:
                node["labels"] = labels
        if kind in (ItemType.SINGLE, ItemType.MULTIPLE):
            node["options"] = data["parsed_options"]
        if data.get("show_if_item"):
            values = [_value(v) for v in data["show_if_values"].split(",") if v.strip()]
            node["show_if"] = {"item": data["show_if_item"], "in": values}
        return node


def earlier_item_codes(definition: Mapping[str, Any], code: str | None) -> list[str]:
    """Codes of the items before ``code`` (all items when adding a new one): what skip logic may use."""
    codes = []
    for spec in iter_items(definition):
        if spec.code == code:
            break
        codes.append(spec.code)
    return codes


class WeightsForm(StyledForm):
    """The weights of the children of one node, side by side (a dimension's indicators, etc.)."""

    def __init__(self, *args: Any, children: list[tuple[str, str, float]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, title, weight in children:
            self.fields[f"w_{code}"] = forms.FloatField(
                label=f"{code} · {title}",
                min_value=0,
                initial=weight,
                widget=forms.NumberInput(attrs={"step": "any"}),
            )
        style_widgets(self, small=True)

    def weights(self) -> dict[str, float]:
        return {name[2:]: float(value) for name, value in self.cleaned_data.items() if name.startswith("w_")}


class DiffForm(StyledForm):
    a = forms.TypedChoiceField(label=_("From version"), coerce=int)
    b = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, f"v{n}") for n in numbers]
        a_field: Any = self.fields["a"]
        b_field: Any = self.fields["b"]
        a_field.choices = choices
        b_field.choices = choices
