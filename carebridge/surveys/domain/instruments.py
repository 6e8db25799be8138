"""The instrument definition: its JSON schema, validation, content hash, skip logic and scoring.

A definition is the whole questionnaire, stored on :class:`~carebridge.surveys.models.InstrumentVersion`::

    {
      "schema": 1,
      "code": "inpatient-experience",
      "title": {"zh-hans": "住院患者体验调查", "en": "Inpatient experience survey"},
      "intro": {"zh-hans": "…目的与隐私说明…", "en": "…purpose and privacy…"},
      "dimensions": [
        {"code": "nurses", "title": {…}, "weight": 0.2,            # "scored": false for "about you"
         "indicators": [
           {"code": "nurse_comm", "title": {…}, "weight": 1,
            "items": [
              {"code": "q1", "type": "likert", "points": 5, "na": true, "reverse": false,
               "required": true, "weight": 1, "text": {…}, "labels": {"zh-hans": [...5 anchors], …},
               "show_if": {"item": "q0", "in": [1, 2]}},
              {"code": "q9", "type": "single", "options": [{"value": "a", "label": {…}}, …]}]}]}]}

Item types are those of :class:`~carebridge.surveys.choices.ItemType`. Scored items (Likert 1…points,
0–10, 1–10, yes/no as 1/0) are rescaled to 0–100 (reverse-keyed items flipped); an indicator's index is the
weighted mean of its answered items, a dimension's of its indicators, the overall index of the scored
dimensions, each time over what was answered (weights renormalised; "not applicable" is not an answer).
Skip logic is one condition per item on an earlier item's answer. This module has no database access.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from carebridge.surveys.choices import SCORED_TYPES, ItemType

SCHEMA_VERSION = 1
LANGUAGES = ("zh-hans", "en")
NOT_APPLICABLE = "na"
LIKERT_POINTS = frozenset({4, 5, 7})
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,31}$")


class DefinitionError(ValueError):
    """A definition that cannot be used; ``errors`` lists every problem with its JSON path."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ItemSpec:
    """One item with where it sits in the indicator system and its effective weight."""

    code: str
    position: int
    dimension: str
    indicator: str
    item_type: str
    text: Mapping[str, str]
    reverse: bool
    required: bool
    allows_na: bool
    weight: float
    overall_weight: float
    scored: bool
    scale_min: float | None
    scale_max: float | None
    options: tuple[Any, ...]
    show_if: Mapping[str, Any] | None
    spec: Mapping[str, Any]

    def label(self, language: str) -> str:
        return localised(self.text, language)


def localised(texts: Mapping[str, str] | str | None, language: str) -> str:
    """The text in ``language``, falling back to Chinese (the language every definition must have)."""
    if texts is None:
        return ""
    if isinstance(texts, str):
        return texts
    key = "en" if language.startswith("en") else "zh-hans"
    return texts.get(key) or texts.get("zh-hans") or ""


def part_titles(definition: Mapping[str, Any], language: str) -> dict[str, str]:
    """The title of every dimension and indicator of a definition by its code, in ``language``
    (pages show these, never the codes)."""
    titles: dict[str, str] = {}
    for dimension in definition.get("dimensions", ()):
        titles[dimension["code"]] = localised(dimension.get("title"), language) or dimension["code"]
        for indicator in dimension.get("indicators", ()):
            titles.setdefault(
                indicator["code"], localised(indicator.get("title"), language) or indicator["code"]
            )
    return titles


def canonical_json(definition: Mapping[str, Any]) -> str:
    return json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_hash(definition: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON: two versions with the same questions have the same hash."""
    return hashlib.sha256(canonical_json(definition).encode("utf-8")).hexdigest()


def _scale(item: Mapping[str, Any]) -> tuple[float | None, float | None]:
    kind = item.get("type")
    if kind == ItemType.LIKERT:
        return 1.0, float(item.get("points", 5))
    if kind == ItemType.SCALE_0_10:
        return 0.0, 10.0
    if kind == ItemType.SCALE_1_10:
        return 1.0, 10.0
    if kind == ItemType.YES_NO:
        return 0.0, 1.0
    return None, None


def _weight(node: Mapping[str, Any]) -> float:
    value = node.get("weight", 1)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 1.0


# The items of definitions that no longer change (published versions, cached once per process by
# ``selectors.responses.version_content``), by the definition object's identity: a submission walks its
# definition five times (cleaning, scoring, answer rows, the recovery check), ~8 % of its CPU. Each entry
# holds its definition, so the identity cannot be reused while the entry lives.
_FROZEN: dict[int, tuple[Mapping[str, Any], tuple[ItemSpec, ...]]] = {}
_FROZEN_MAX = 256


def freeze_items(definition: Mapping[str, Any]) -> None:
    """Walk ``definition`` once and let :func:`iter_items` answer from that walk from now on. Only for a
    definition nothing will change in place (a published version's, shared by every request)."""
    if len(_FROZEN) >= _FROZEN_MAX:
        _FROZEN.clear()
    _FROZEN[id(definition)] = (definition, tuple(_walk_items(definition)))


def iter_items(definition: Mapping[str, Any]) -> Iterator[ItemSpec]:
    """Every item in order, with its effective weight in the overall index (0 when unscored)."""
    frozen = _FROZEN.get(id(definition))
    if frozen is not None and frozen[0] is definition:
        return iter(frozen[1])
    return _walk_items(definition)


def _walk_items(definition: Mapping[str, Any]) -> Iterator[ItemSpec]:
    dimensions = definition.get("dimensions", [])
    scored_dims = [d for d in dimensions if d.get("scored", True)]
    dim_total = sum(_weight(d) for d in scored_dims) or 1.0
    position = 0
    for dimension in dimensions:
        dim_scored = dimension.get("scored", True)
        indicators = dimension.get("indicators", [])
        ind_total = sum(_weight(i) for i in indicators) or 1.0
        for indicator in indicators:
            items = indicator.get("items", [])
            scored_items = [it for it in items if it.get("type") in SCORED_TYPES]
            item_total = sum(_weight(it) for it in scored_items) or 1.0
            for item in items:
                position += 1
                scored = bool(dim_scored and item.get("type") in SCORED_TYPES)
                overall = (
                    _weight(dimension)
                    / dim_total
                    * _weight(indicator)
                    / ind_total
                    * _weight(item)
                    / item_total
                    if scored
                    else 0.0
                )
                low, high = _scale(item)
                yield ItemSpec(
                    code=item["code"],
                    position=position,
                    dimension=dimension.get("code", ""),
                    indicator=indicator.get("code", ""),
                    item_type=item["type"],
                    text=item.get("text", {}),
                    reverse=bool(item.get("reverse", False)),
                    required=bool(item.get("required", False)),
                    allows_na=bool(item.get("na", False)),
                    weight=_weight(item),
                    overall_weight=overall,
                    scored=scored,
                    scale_min=low,
                    scale_max=high,
                    options=tuple(item.get("options", ())),
                    show_if=item.get("show_if"),
                    spec=item,
                )


def _check_texts(texts: Any, path: str, errors: list[str]) -> None:
    if not isinstance(texts, dict) or not str(texts.get("zh-hans", "")).strip():
        errors.append(f"{path}: a Chinese text (zh-hans) is required")
    elif any(key not in LANGUAGES for key in texts):
        errors.append(f"{path}: languages must be among {', '.join(LANGUAGES)}")


def _check_weight(node: Mapping[str, Any], path: str, errors: list[str]) -> None:
    value = node.get("weight", 1)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        errors.append(f"{path}.weight: must be a number ≥ 0")


def _check_item(item: Any, path: str, seen: dict[str, Mapping[str, Any]], errors: list[str]) -> None:
    if not isinstance(item, dict):
        errors.append(f"{path}: must be an object")
        return
    code = item.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        errors.append(f"{path}.code: letters, digits and _ (starting with a letter, at most 32)")
    elif code in seen:
        errors.append(f"{path}.code: {code} is used twice")
    kind = item.get("type")
    if kind not in ItemType.values:
        errors.append(f"{path}.type: must be one of {', '.join(ItemType.values)}")
    _check_texts(item.get("text"), f"{path}.text", errors)
    _check_weight(item, path, errors)
    if kind == ItemType.LIKERT and item.get("points", 5) not in LIKERT_POINTS:
        errors.append(f"{path}.points: a Likert item has 4, 5 or 7 points")
    if kind in (ItemType.SINGLE, ItemType.MULTIPLE):
        options = item.get("options")
        values = [o.get("value") for o in options or [] if isinstance(o, dict)]
        if not options or len(values) != len(options) or len(set(map(str, values))) != len(values):
            errors.append(f"{path}.options: a choice item needs options with distinct values")
    if item.get("reverse") and kind not in SCORED_TYPES:
        errors.append(f"{path}.reverse: only scored items can be reverse-keyed")
    condition = item.get("show_if")
    if condition is not None:
        if not isinstance(condition, dict) or not isinstance(condition.get("in"), list):
            errors.append(f'{path}.show_if: must be {{"item": <earlier item>, "in": [values]}}')
        elif condition.get("item") not in seen:
            errors.append(
                f"{path}.show_if: refers to {condition.get('item')!r}, which is not an earlier item"
            )
    if isinstance(code, str) and code not in seen:
        seen[code] = item


def _check_group(node: Any, path: str, group_codes: set[str], errors: list[str]) -> bool:
    """A dimension or indicator: code, title, weight. False when it is not even an object."""
    if not isinstance(node, dict):
        errors.append(f"{path}: must be an object")
        return False
    code = node.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        errors.append(f"{path}.code: letters, digits and _ (starting with a letter, at most 32)")
    elif code in group_codes:
        errors.append(f"{path}.code: {code} is used twice")
    else:
        group_codes.add(code)
    _check_texts(node.get("title"), f"{path}.title", errors)
    _check_weight(node, path, errors)
    return True


def _check_dimension(
    dimension: Any,
    path: str,
    seen_items: dict[str, Mapping[str, Any]],
    group_codes: set[str],
    errors: list[str],
) -> None:
    if not _check_group(dimension, path, group_codes, errors):
        return
    indicators = dimension.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        errors.append(f"{path}.indicators: at least one indicator is required")
        return
    for i, indicator in enumerate(indicators):
        ipath = f"{path}.indicators[{i}]"
        if not _check_group(indicator, ipath, group_codes, errors):
            continue
        items = indicator.get("items")
        if not isinstance(items, list) or not items:
            errors.append(f"{ipath}.items: at least one item is required")
            continue
        for k, item in enumerate(items):
            _check_item(item, f"{ipath}.items[{k}]", seen_items, errors)


def validate_definition(definition: Any) -> list[str]:
    """Every problem of a definition, each with its JSON path; an empty list means it can be used."""
    errors: list[str] = []
    if not isinstance(definition, dict):
        return ["definition: must be a JSON object"]
    if definition.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
        errors.append(f"schema: only version {SCHEMA_VERSION} is understood")
    _check_texts(definition.get("title"), "title", errors)
    dimensions = definition.get("dimensions")
    if not isinstance(dimensions, list) or not dimensions:
        return [*errors, "dimensions: at least one dimension is required"]
    seen_items: dict[str, Mapping[str, Any]] = {}
    group_codes: set[str] = set()
    for d, dimension in enumerate(dimensions):
        _check_dimension(dimension, f"dimensions[{d}]", seen_items, group_codes, errors)
    if not errors and not any(spec.scored for spec in iter_items(definition)):
        errors.append("dimensions: no scored item (Likert, 0–10 or yes/no) in a scored dimension")
    return errors


def check_definition(definition: Any) -> None:
    errors = validate_definition(definition)
    if errors:
        raise DefinitionError(errors)


def visible_codes(items: list[ItemSpec], answers: Mapping[str, Any]) -> set[str]:
    """The items shown given the answers so far (an item hidden by skip logic is neither asked nor kept)."""
    shown: set[str] = set()
    for spec in items:
        condition = spec.show_if
        if condition is None:
            shown.add(spec.code)
            continue
        other = condition["item"]
        value = answers.get(other)
        wanted = {str(v) for v in condition["in"]}
        values = value if isinstance(value, list) else [value]
        if other in shown and value is not None and any(str(v) in wanted for v in values):
            shown.add(spec.code)
    return shown


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _clean_one(spec: ItemSpec, value: Any) -> tuple[Any, str | None]:
    """The stored form of one answer, or an error message (in English; the UI maps it to the item)."""
    if value == NOT_APPLICABLE:
        return (NOT_APPLICABLE, None) if spec.allows_na else (None, "“not applicable” is not offered")
    if spec.item_type == ItemType.TEXT:
        text = str(value).strip()
        return (text, None) if len(text) <= 4000 else (None, "at most 4000 characters")
    if spec.item_type in SCORED_TYPES:
        number = _number(value)
        low, high = spec.scale_min or 0.0, spec.scale_max or 0.0
        if number is None or not number.is_integer() or not low <= number <= high:
            return None, f"a whole number from {low:g} to {high:g}"
        return int(number), None
    allowed = {str(o.get("value")): o.get("value") for o in spec.options}
    if spec.item_type == ItemType.SINGLE:
        return (allowed[str(value)], None) if str(value) in allowed else (None, "not one of the options")
    chosen = value if isinstance(value, list) else [value]
    if not chosen or any(str(v) not in allowed for v in chosen):
        return None, "choose among the options"
    return [allowed[str(v)] for v in dict.fromkeys(map(str, chosen))], None


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list) and len(value) == 0)


def clean_answers(
    definition: Mapping[str, Any], answers: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check answers against the definition: the cleaned answers and, per item code, what is wrong.

    Unknown item codes are errors; answers to items hidden by skip logic are dropped; required visible
    items must be answered unless ``partial`` (a draft saved part-way).
    """
    items = list(iter_items(definition))
    by_code = {spec.code: spec for spec in items}
    errors: dict[str, str] = {code: "no such item" for code in answers if code not in by_code}
    raw = {code: value for code, value in answers.items() if code in by_code and not _empty(value)}
    cleaned: dict[str, Any] = {}
    for code, value in raw.items():
        stored, error = _clean_one(by_code[code], value)
        if error:
            errors[code] = error
        else:
            cleaned[code] = stored
    shown = visible_codes(items, cleaned)
    cleaned = {code: value for code, value in cleaned.items() if code in shown}
    if not partial:
        for spec in items:
            if spec.required and spec.code in shown and spec.code not in cleaned and spec.code not in errors:
                errors[spec.code] = "an answer is required"
    return cleaned, errors


def item_score(spec: ItemSpec, value: Any) -> float | None:
    """A scored answer on 0–100 (reverse-keyed items flipped); None when unscored or not applicable."""
    number = _number(value)
    if not spec.scored or number is None or spec.scale_min is None or spec.scale_max is None:
        return None
    share = (number - spec.scale_min) / (spec.scale_max - spec.scale_min)
    return 100.0 * (1.0 - share if spec.reverse else share)


def _weighted(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(weight for weight, _ in pairs)
    if not pairs or total <= 0:
        return None
    return sum(weight * value for weight, value in pairs) / total


def score(definition: Mapping[str, Any], answers: Mapping[str, Any]) -> tuple[float | None, dict[str, float]]:
    """The overall 0–100 index and one per scored dimension, from the instrument's indicator system."""
    by_indicator: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for spec in iter_items(definition):
        value = item_score(spec, answers.get(spec.code))
        if value is not None:
            by_indicator.setdefault((spec.dimension, spec.indicator), []).append((spec.weight, value))
    dimension_scores: dict[str, float] = {}
    overall: list[tuple[float, float]] = []
    for dimension in definition.get("dimensions", []):
        if not dimension.get("scored", True):
            continue
        indicator_pairs = []
        for indicator in dimension.get("indicators", []):
            value = _weighted(by_indicator.get((dimension["code"], indicator["code"]), []))
            if value is not None:
                indicator_pairs.append((_weight(indicator), value))
        dim_value = _weighted(indicator_pairs)
        if dim_value is not None:
            dimension_scores[dimension["code"]] = round(dim_value, 4)
            overall.append((_weight(dimension), dim_value))
    total = _weighted(overall)
    return (round(total, 4) if total is not None else None), dimension_scores
