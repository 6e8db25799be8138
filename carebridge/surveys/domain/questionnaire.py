"""The questionnaire as a form: pages (one per dimension), fields to render, answers read from a POST.

Shared by the public answering page (one page at a time) and the staff entry form for phone interviews
and paper questionnaires (all pages at once). Validation itself is ``instruments.clean_answers``; this
module only turns a definition into what a template shows, in the respondent's language, and a posted
form back into the answers dict. Field names are ``a-<item code>``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _

from carebridge.surveys.choices import ItemType
from carebridge.surveys.domain import instruments

FIELD_PREFIX = "a-"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Field:
    """One question as shown: its input kind (radio, scale, check, text), choices and current state."""

    code: str
    name: str
    text: str
    kind: str
    required: bool
    choices: list[Choice]
    value: str
    error: str
    show_if: str  # JSON of the skip condition, for the page's small script; "" when always shown
    hidden: bool


@dataclass(frozen=True)
class Page:
    number: int  # 1-based; 0 is the introduction
    code: str
    title: str
    specs: list[instruments.ItemSpec] = field(default_factory=list)

    @property
    def codes(self) -> set[str]:
        return {spec.code for spec in self.specs}


def pages(definition: Mapping[str, Any], language: str) -> list[Page]:
    """One page per dimension, in order, each with its items."""
    by_dimension: dict[str, list[instruments.ItemSpec]] = {}
    for spec in instruments.iter_items(definition):
        by_dimension.setdefault(spec.dimension, []).append(spec)
    return [
        Page(
            number=index,
            code=dimension["code"],
            title=instruments.localised(dimension.get("title"), language),
            specs=by_dimension.get(dimension["code"], []),
        )
        for index, dimension in enumerate(definition.get("dimensions", []), start=1)
    ]


def _labels(spec: instruments.ItemSpec, language: str) -> list[str]:
    labels = spec.spec.get("labels") or {}
    if isinstance(labels, dict):
        chosen = labels.get("en" if language.startswith("en") else "zh-hans") or labels.get("zh-hans") or []
        return [str(label) for label in chosen]
    return []


def _choices(spec: instruments.ItemSpec, language: str, current: Any) -> list[Choice]:
    values = current if isinstance(current, list) else [current]
    chosen = {str(v) for v in values if v is not None}
    options: list[tuple[str, str]] = []
    if spec.item_type in (ItemType.SINGLE, ItemType.MULTIPLE):
        options = [
            (
                str(option.get("value")),
                instruments.localised(option.get("label"), language) or str(option.get("value")),
            )
            for option in spec.options
            if isinstance(option, dict)
        ]
    elif spec.item_type == ItemType.YES_NO:
        options = [("1", _("Yes")), ("0", _("No"))]
    elif spec.scale_min is not None and spec.scale_max is not None:
        labels = _labels(spec, language)
        points = range(int(spec.scale_min), int(spec.scale_max) + 1)
        for index, point in enumerate(points):
            label = labels[index] if len(labels) == len(points) else ""
            options.append(
                (
                    str(point),
                    f"{point} {label}".strip() if spec.item_type != ItemType.LIKERT else label or str(point),
                )
            )
    if spec.allows_na:
        options.append((instruments.NOT_APPLICABLE, _("Not applicable")))
    return [Choice(value, label, value in chosen) for value, label in options]


def _kind(spec: instruments.ItemSpec) -> str:
    if spec.item_type == ItemType.TEXT:
        return "text"
    if spec.item_type == ItemType.MULTIPLE:
        return "check"
    if spec.item_type in (ItemType.SCALE_0_10, ItemType.SCALE_1_10):
        return "scale"
    return "radio"


def fields(
    specs: list[instruments.ItemSpec],
    *,
    language: str,
    answers: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
    visible: set[str] | None = None,
) -> list[Field]:
    """The fields of ``specs`` with the current answers and the errors (messages already translated)."""
    errors = errors or {}
    out = []
    for spec in specs:
        current = answers.get(spec.code)
        out.append(
            Field(
                code=spec.code,
                name=FIELD_PREFIX + spec.code,
                text=spec.label(language),
                kind=_kind(spec),
                required=spec.required,
                choices=_choices(spec, language, current),
                value="" if current is None or isinstance(current, list) else str(current),
                error=errors.get(spec.code, ""),
                show_if=json.dumps(spec.show_if) if spec.show_if else "",
                hidden=visible is not None and spec.code not in visible,
            )
        )
    return out


def read_answers(data: QueryDict, specs: list[instruments.ItemSpec]) -> dict[str, Any]:
    """The answers posted for ``specs``; an item left empty maps to None (it clears a saved answer)."""
    answers: dict[str, Any] = {}
    for spec in specs:
        name = FIELD_PREFIX + spec.code
        if spec.item_type == ItemType.MULTIPLE:
            chosen = [value for value in data.getlist(name) if value != ""]
            answers[spec.code] = chosen or None
        else:
            value = data.get(name, "")
            answers[spec.code] = value if value.strip() else None
    return answers


def merge(saved: Mapping[str, Any], posted: Mapping[str, Any]) -> dict[str, Any]:
    """Saved answers updated with the posted page (None removes an answer)."""
    merged = {code: value for code, value in saved.items() if code not in posted}
    merged.update({code: value for code, value in posted.items() if value is not None})
    return merged


def privacy_notes(*, hospital_name: str, anonymous: bool, min_report_group: int) -> list[str]:
    """The standard privacy paragraph of the first page: what is collected, who sees it, anonymity,
    how to opt out (in the active language)."""
    collected = (
        _(
            "This survey is anonymous: your answers are stored without your name, your visit or your phone "
            "number, and nobody can trace them back to you. Only the date of your answer is kept."
        )
        if anonymous
        else _(
            "We keep your answers, the time you took and the visit they are about, so that staff can call "
            "you back if you report a problem."
        )
    )
    return [
        _(
            "%(hospital)s asks for your opinion to find out what to improve. Taking part is voluntary; "
            "skipping it has no effect on your care."
        )
        % {"hospital": hospital_name},
        collected,
        _(
            "The hospital's quality office reads the answers; departments see only summaries, and no group "
            "smaller than %(n)s people is reported."
        )
        % {"n": min_report_group},
        _(
            "You can stop at any time and continue later with the same link. If you do not want any more "
            "surveys, tell the hospital's customer service and we will not contact you again."
        ),
    ]


def missing_required(
    specs: list[instruments.ItemSpec], answers: Mapping[str, Any], shown: set[str]
) -> list[str]:
    """Required items of ``specs`` that are shown and not answered."""
    return [spec.code for spec in specs if spec.required and spec.code in shown and spec.code not in answers]
