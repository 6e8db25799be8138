"""The instrument builder's operations on a definition, its preview and the diff between two versions.

Pure functions on the definition JSON (schema in ``instruments.py``); no database access. The builder
pages edit a copy with these operations and save it through ``draft_update``, which validates the whole.
Nodes are addressed by level and code: dimension and indicator codes are unique together, item codes
are unique among items (``validate_definition`` enforces both).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from carebridge.surveys.choices import ItemType
from carebridge.surveys.domain.instruments import ItemSpec, iter_items, localised

Level = Literal["dimension", "indicator", "item"]
LEVELS: tuple[str, ...] = ("dimension", "indicator", "item")
CHILDREN = {"dimension": "indicators", "indicator": "items"}


class NodeNotFound(KeyError):
    """No node of that level and code in the definition."""


def _siblings(definition: dict[str, Any], level: str, code: str) -> tuple[list[dict[str, Any]], int]:
    """The list holding the node and its index there."""
    dimensions = definition.setdefault("dimensions", [])
    for d, dimension in enumerate(dimensions):
        if level == "dimension" and dimension.get("code") == code:
            return dimensions, d
        indicators = dimension.setdefault("indicators", [])
        for i, indicator in enumerate(indicators):
            if level == "indicator" and indicator.get("code") == code:
                return indicators, i
            items = indicator.setdefault("items", [])
            for k, item in enumerate(items):
                if level == "item" and item.get("code") == code:
                    return items, k
    raise NodeNotFound(f"{level} {code}")


def find_node(definition: dict[str, Any], level: str, code: str) -> dict[str, Any]:
    siblings, index = _siblings(definition, level, code)
    return siblings[index]


def parent_code(definition: Mapping[str, Any], level: str, code: str) -> str | None:
    """The code of the dimension holding an indicator, or of the indicator holding an item."""
    for dimension in definition.get("dimensions", []):
        for indicator in dimension.get("indicators", []):
            if level == "indicator" and indicator.get("code") == code:
                return str(dimension.get("code"))
            for item in indicator.get("items", []):
                if level == "item" and item.get("code") == code:
                    return str(indicator.get("code"))
    return None


def all_codes(definition: Mapping[str, Any]) -> set[str]:
    """Every code in use (dimensions, indicators and items)."""
    codes: set[str] = set()
    for dimension in definition.get("dimensions", []):
        codes.add(dimension.get("code", ""))
        for indicator in dimension.get("indicators", []):
            codes.add(indicator.get("code", ""))
            codes.update(item.get("code", "") for item in indicator.get("items", []))
    return codes


def unused_code(definition: Mapping[str, Any], prefix: str) -> str:
    taken = all_codes(definition)
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def add_node(
    definition: Mapping[str, Any], level: str, parent: str | None, node: dict[str, Any]
) -> dict[str, Any]:
    """A copy with ``node`` appended to the dimensions, a dimension's indicators or an indicator's items."""
    result = copy.deepcopy(dict(definition))
    if level == "dimension":
        result.setdefault("dimensions", []).append(node)
        return result
    parent_level = "dimension" if level == "indicator" else "indicator"
    holder = find_node(result, parent_level, parent or "")
    holder.setdefault(CHILDREN[parent_level], []).append(node)
    return result


def replace_node(
    definition: Mapping[str, Any], level: str, code: str, node: dict[str, Any]
) -> dict[str, Any]:
    """A copy with the node's own fields replaced; a group keeps its children."""
    result = copy.deepcopy(dict(definition))
    siblings, index = _siblings(result, level, code)
    children_key = CHILDREN.get(level)
    updated = dict(node)
    if children_key:
        updated[children_key] = siblings[index].get(children_key, [])
    siblings[index] = updated
    if level == "item" and node.get("code") != code:
        _rename_references(result, code, str(node.get("code")))
    return result


def _rename_references(definition: dict[str, Any], old: str, new: str) -> None:
    for dimension in definition.get("dimensions", []):
        for indicator in dimension.get("indicators", []):
            for item in indicator.get("items", []):
                condition = item.get("show_if")
                if isinstance(condition, dict) and condition.get("item") == old:
                    condition["item"] = new


def remove_node(definition: Mapping[str, Any], level: str, code: str) -> dict[str, Any]:
    """A copy without the node (and its children). Skip conditions that referred to it stay and fail
    validation, so the user sees what depended on it."""
    result = copy.deepcopy(dict(definition))
    siblings, index = _siblings(result, level, code)
    del siblings[index]
    return result


def move_node(definition: Mapping[str, Any], level: str, code: str, delta: int) -> dict[str, Any]:
    """A copy with the node moved ``delta`` places among its siblings (clamped at the ends)."""
    result = copy.deepcopy(dict(definition))
    siblings, index = _siblings(result, level, code)
    target = max(0, min(len(siblings) - 1, index + delta))
    siblings.insert(target, siblings.pop(index))
    return result


# --- Preview ----------------------------------------------------------------------------------------


@dataclass
class PreviewItem:
    spec: ItemSpec
    number: int
    text: str
    choices: list[tuple[Any, str]]
    condition: str

    @property
    def percent(self) -> float:
        return 100.0 * self.spec.overall_weight


@dataclass
class PreviewGroup:
    code: str
    title: str
    weight: float
    share: float  # of the parent, in %
    scored: bool = True
    children: list[Any] = field(default_factory=list)


def _choices(spec: ItemSpec, language: str) -> list[tuple[Any, str]]:
    """The answer options shown: anchors of a Likert item, numbers of a scale, options of a choice."""
    kind = spec.item_type
    if kind == ItemType.LIKERT:
        points = int(spec.scale_max or 5)
        labels = spec.spec.get("labels") or {}
        anchors = labels.get("en" if language.startswith("en") else "zh-hans") or labels.get("zh-hans") or []
        return [(n, anchors[n - 1] if len(anchors) >= n else str(n)) for n in range(1, points + 1)]
    if kind in (ItemType.SCALE_0_10, ItemType.SCALE_1_10):
        low, high = int(spec.scale_min or 0), int(spec.scale_max or 10)
        return [(n, str(n)) for n in range(low, high + 1)]
    if kind == ItemType.YES_NO:
        return [
            (1, "是" if not language.startswith("en") else "Yes"),
            (0, "否" if not language.startswith("en") else "No"),
        ]
    if kind in (ItemType.SINGLE, ItemType.MULTIPLE):
        return [(o.get("value"), localised(o.get("label"), language)) for o in spec.options]
    return []


def _share(weight: float, total: float) -> float:
    return 100.0 * weight / total if total > 0 else 0.0


def _w(node: Mapping[str, Any]) -> float:
    value = node.get("weight", 1)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 1.0


def preview(definition: Mapping[str, Any], language: str) -> list[PreviewGroup]:
    """The questionnaire as the builder shows it: groups with their share of the parent's weight and
    items with their effective weight in the overall index (%), answer options and skip condition."""
    specs = {spec.code: spec for spec in iter_items(definition)}
    dimensions = definition.get("dimensions", [])
    dim_total = sum(_w(d) for d in dimensions if d.get("scored", True))
    result = []
    number = 0
    for dimension in dimensions:
        scored = bool(dimension.get("scored", True))
        dim = PreviewGroup(
            code=dimension.get("code", ""),
            title=localised(dimension.get("title"), language),
            weight=_w(dimension),
            share=_share(_w(dimension), dim_total) if scored else 0.0,
            scored=scored,
        )
        indicators = dimension.get("indicators", [])
        ind_total = sum(_w(i) for i in indicators)
        for indicator in indicators:
            group = PreviewGroup(
                code=indicator.get("code", ""),
                title=localised(indicator.get("title"), language),
                weight=_w(indicator),
                share=_share(_w(indicator), ind_total),
                scored=scored,
            )
            for item in indicator.get("items", []):
                spec = specs.get(item.get("code", ""))
                if spec is None:
                    continue
                number += 1
                condition = ""
                if spec.show_if:
                    values = ", ".join(str(v) for v in spec.show_if.get("in", []))
                    condition = f"{spec.show_if.get('item')} ∈ {{{values}}}"
                group.children.append(
                    PreviewItem(
                        spec=spec,
                        number=number,
                        text=spec.label(language),
                        choices=_choices(spec, language),
                        condition=condition,
                    )
                )
            dim.children.append(group)
        result.append(dim)
    return result


# --- Diff -------------------------------------------------------------------------------------------

_ITEM_FIELDS = (
    "type",
    "points",
    "na",
    "reverse",
    "required",
    "weight",
    "text",
    "labels",
    "options",
    "show_if",
)


@dataclass
class DefinitionDiff:
    """What changed from one version to the next, in terms a quality officer reads."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # item code → changed fields
    moved: list[str] = field(default_factory=list)
    groups_added: list[str] = field(default_factory=list)
    groups_removed: list[str] = field(default_factory=list)
    weights: dict[str, tuple[float, float]] = field(default_factory=dict)  # group code → (old, new)
    texts: list[str] = field(default_factory=list)  # "title", "intro"

    @property
    def is_empty(self) -> bool:
        parts: tuple[Any, ...] = (self.added, self.removed, self.changed, self.moved)
        return not any((*parts, self.groups_added, self.groups_removed, self.weights, self.texts))


def _groups(definition: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    groups: dict[str, Mapping[str, Any]] = {}
    for dimension in definition.get("dimensions", []):
        groups[dimension.get("code", "")] = dimension
        for indicator in dimension.get("indicators", []):
            groups[indicator.get("code", "")] = indicator
    return groups


def diff_definitions(old: Mapping[str, Any], new: Mapping[str, Any]) -> DefinitionDiff:
    """The changes from ``old`` to ``new``: items added, removed, changed (which fields) or moved;
    dimensions and indicators added or removed, or re-weighted; survey title or intro changed."""
    diff = DefinitionDiff()
    old_items = {spec.code: spec for spec in iter_items(old)}
    new_items = {spec.code: spec for spec in iter_items(new)}
    diff.added = [code for code in new_items if code not in old_items]
    diff.removed = [code for code in old_items if code not in new_items]
    kept_old = [code for code in old_items if code in new_items]
    kept_new = [code for code in new_items if code in old_items]
    for code in kept_new:
        before, after = old_items[code], new_items[code]
        fields = [name for name in _ITEM_FIELDS if before.spec.get(name) != after.spec.get(name)]
        if (before.dimension, before.indicator) != (after.dimension, after.indicator):
            fields.append("indicator")
        if fields:
            diff.changed[code] = fields
    diff.moved = [code for a, code in zip(kept_old, kept_new, strict=True) if a != code]
    old_groups, new_groups = _groups(old), _groups(new)
    diff.groups_added = [code for code in new_groups if code not in old_groups]
    diff.groups_removed = [code for code in old_groups if code not in new_groups]
    for code, group in new_groups.items():
        if code in old_groups and _w(old_groups[code]) != _w(group):
            diff.weights[code] = (_w(old_groups[code]), _w(group))
    diff.texts = [key for key in ("title", "intro") if old.get(key) != new.get(key)]
    return diff
