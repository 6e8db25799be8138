"""Responses as data frames: what every analysis of this package starts from.

``carebridge.insights.selectors.analysis.frame.load_frame`` reads the selected responses in a handful
of queries and :func:`build_frame` turns them into a :class:`ResponseFrame`:

* ``meta``: one row per response (id, version, wave, department, ward, mode, month, submission time);
* ``index``: each respondent's weighted 0–100 index, overall and per scored dimension, recomputed from
  the answers with the weights of the version the respondent answered — the same rule as
  ``carebridge.surveys.domain.instruments.score`` (weighted mean of the answered items in an indicator, of the
  answered indicators in a dimension, of the answered dimensions overall; "not applicable" is not an
  answer), vectorised. Responses of every version of the instrument contribute, matched by dimension code;
* ``values`` / ``scores``: the answers to the scored items of the *analysed version* (the selected one,
  or the version most responses answered) on their own scale and on 0–100 (reverse-keyed items flipped);
  ``keyed``: the answers on their own scale with reverse-keyed items recoded (min + max − x), the
  form psychometric statistics want. Item-level analyses use only the analysed version's responses;
* ``adjusters``: the case-mix adjusters captured at submission; ``comments``: the free-text answers.

``min_group`` is the smallest group that may be reported: the largest ``min_report_group`` of the
anonymous waves in the selection, 0 when none is anonymous.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone
from django.utils.translation import get_language

from carebridge.insights.domain.analysis.names import ADJUSTER_KEYS
from carebridge.surveys.choices import ItemType
from carebridge.surveys.domain.instruments import ItemSpec, iter_items, localised
from carebridge.surveys.models import InstrumentVersion

# Items that psychometric models treat as (quasi-)continuous ratings; yes/no items are left out.
RATING_TYPES = frozenset({ItemType.LIKERT, ItemType.SCALE_0_10, ItemType.SCALE_1_10})


@dataclass(frozen=True)
class Dimension:
    """A scored dimension of the analysed version, with its weight normalised over scored dimensions."""

    code: str
    label: str
    weight: float
    items: tuple[str, ...]


@dataclass
class ResponseFrame:
    meta: pd.DataFrame
    index: pd.DataFrame
    version: InstrumentVersion | None
    items: list[ItemSpec]
    dimensions: list[Dimension]
    values: pd.DataFrame
    scores: pd.DataFrame
    keyed: pd.DataFrame
    adjusters: pd.DataFrame
    comments: pd.DataFrame
    min_group: int = 0
    labels: dict[str, dict[int, str]] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.meta)

    def item(self, code: str) -> ItemSpec:
        return next(spec for spec in self.items if spec.code == code)

    def item_label(self, code: str) -> str:
        return localised(self.item(code).text, get_language() or "zh-hans")

    def dimension_label(self, code: str) -> str:
        return next((d.label for d in self.dimensions if d.code == code), code)

    def suppressed(self, n: int) -> bool:
        """True when a group of ``n`` respondents of an anonymous wave must not be shown."""
        return self.min_group > 0 and n < self.min_group


def _number(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        return np.nan
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return np.nan
    return np.nan


def _weight(node: Mapping[str, Any]) -> float:
    """A node's weight as ``instruments.iter_items`` reads it (a missing or bad weight counts as 1)."""
    value = node.get("weight", 1)
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 1.0


def _raw_matrix(specs: Sequence[ItemSpec], answers: Sequence[Mapping[str, Any]]) -> np.ndarray:
    matrix = np.array([[_number(a.get(s.code)) for s in specs] for a in answers], dtype=float)
    return matrix.reshape(len(answers), len(specs))


def _to_100(specs: Sequence[ItemSpec], raw: np.ndarray) -> np.ndarray:
    low = np.array([s.scale_min or 0.0 for s in specs])
    high = np.array([s.scale_max or 1.0 for s in specs])
    share = (raw - low) / (high - low)
    share[(share < 0) | (share > 1)] = np.nan  # out-of-scale values are not answers
    reverse = np.array([s.reverse for s in specs], dtype=bool)
    share[:, reverse] = 1.0 - share[:, reverse]
    return np.asarray(100.0 * share)


def _weighted_mean(columns: list[np.ndarray], weights: list[float], n: int) -> np.ndarray:
    """Row-wise weighted mean over the non-missing columns (weights renormalised per row)."""
    if not columns:
        return np.full(n, np.nan)
    m = np.column_stack(columns)
    w = np.asarray(weights, dtype=float)
    present = ~np.isnan(m)
    denominator = present @ w
    numerator = np.where(present, m, 0.0) @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def respondent_indexes(definition: Mapping[str, Any], answers: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Each respondent's overall and per-dimension 0–100 index (columns ``overall`` and dimension
    codes), as ``instruments.score`` computes them, for many respondents at once."""
    specs = [s for s in iter_items(definition) if s.scored]
    n = len(answers)
    scores = _to_100(specs, _raw_matrix(specs, answers))
    column = {s.code: j for j, s in enumerate(specs)}
    out: dict[str, np.ndarray] = {}
    dim_columns, dim_weights = [], []
    for dimension in definition.get("dimensions", []):
        if not dimension.get("scored", True):
            continue
        ind_columns, ind_weights = [], []
        for indicator in dimension.get("indicators", []):
            members = [
                s for s in specs if s.dimension == dimension["code"] and s.indicator == indicator["code"]
            ]
            if members:
                ind_columns.append(
                    _weighted_mean(
                        [scores[:, column[s.code]] for s in members], [s.weight for s in members], n
                    )
                )
                ind_weights.append(_weight(indicator))
        value = _weighted_mean(ind_columns, ind_weights, n)
        out[dimension["code"]] = value
        dim_columns.append(value)
        dim_weights.append(_weight(dimension))
    frame = pd.DataFrame(out)
    frame.insert(0, "overall", _weighted_mean(dim_columns, dim_weights, n))
    return frame


def _dimensions(definition: Mapping[str, Any], specs: Sequence[ItemSpec], language: str) -> list[Dimension]:
    scored = [d for d in definition.get("dimensions", []) if d.get("scored", True)]
    total = sum(_weight(d) for d in scored) or 1.0
    return [
        Dimension(
            code=d["code"],
            label=localised(d.get("title"), language) or d["code"],
            weight=_weight(d) / total,
            items=tuple(s.code for s in specs if s.dimension == d["code"] and s.scored),
        )
        for d in scored
    ]


# The columns of a response that a frame is built from (``QuerySet.values(*FIELDS)``).
FIELDS = (
    "id",
    "hospital_id",
    "version_id",
    "wave_id",
    "department_id",
    "ward_id",
    "mode",
    "submitted_at",
    "answers",
    "adjusters",
)


def primary_version(rows: Sequence[Mapping[str, Any]], version_id: int | None) -> int | None:
    """The analysed version: the one asked for, else the one most responses answered (ties: the later)."""
    if version_id is not None:
        return version_id
    counts = pd.Series([r["version_id"] for r in rows]).value_counts()
    if counts.empty:
        return None
    top = counts[counts == counts.max()].index
    return int(max(top))


def build_frame(
    rows: Sequence[Mapping[str, Any]],
    *,
    versions: Mapping[int, InstrumentVersion],
    primary: InstrumentVersion | None,
    min_group: int = 0,
    labels: dict[str, dict[int, str]] | None = None,
    language: str = "zh-hans",
) -> ResponseFrame:
    """The :class:`ResponseFrame` of ``rows`` (``FIELDS`` of each response, in submission order), given
    the versions they answered, the analysed version, the anonymous waves' minimum group and the labels
    of their departments, wards and hospitals."""
    primary_id = primary.pk if primary is not None else None
    zone = timezone.get_default_timezone()
    plain = [k for k in FIELDS if k not in ("answers", "adjusters")]
    meta = pd.DataFrame([{k: r[k] for k in plain} for r in rows], columns=plain)
    meta["month"] = [timezone.localtime(r["submitted_at"], zone).strftime("%Y-%m") for r in rows]

    # Respondent indexes, version by version, stacked in response order.
    parts = []
    for vid, version in versions.items():
        position = [i for i, r in enumerate(rows) if r["version_id"] == vid]
        part = respondent_indexes(version.definition, [rows[i]["answers"] for i in position])
        part.index = position
        parts.append(part)
    index = pd.concat(parts).sort_index() if parts else pd.DataFrame({"overall": []})
    index = index.reindex(range(len(rows)))

    specs = list(iter_items(primary.definition)) if primary is not None else []
    scored = [s for s in specs if s.scored]
    in_primary = [i for i, r in enumerate(rows) if r["version_id"] == primary_id]
    answers = [rows[i]["answers"] for i in in_primary]
    raw = _raw_matrix(scored, answers)
    codes = [s.code for s in scored]
    values = pd.DataFrame(raw, index=in_primary, columns=codes)
    scores = pd.DataFrame(_to_100(scored, raw), index=in_primary, columns=codes)
    keyed = values.copy()
    for s in scored:
        if s.reverse and s.scale_min is not None and s.scale_max is not None:
            keyed[s.code] = s.scale_min + s.scale_max - keyed[s.code]
    keyed = keyed.where(scores.notna())

    adjusters = pd.DataFrame([r["adjusters"] or {} for r in rows], index=range(len(rows)))
    adjusters = adjusters.reindex(columns=list(ADJUSTER_KEYS))

    text_codes = {
        s.code for v in versions.values() for s in iter_items(v.definition) if s.item_type == "text"
    }
    comments = pd.DataFrame(
        [
            {"row": i, "item": code, "text": r["answers"][code].strip()}
            for i, r in enumerate(rows)
            for code in sorted(text_codes)
            if isinstance(r["answers"].get(code), str) and r["answers"][code].strip()
        ],
        columns=["row", "item", "text"],
    )
    return ResponseFrame(
        meta=meta,
        index=index,
        version=primary,
        items=specs,
        dimensions=_dimensions(primary.definition, specs, language) if primary is not None else [],
        values=values,
        scores=scores,
        keyed=keyed,
        adjusters=adjusters,
        comments=comments,
        min_group=min_group,
        labels=labels or {},
    )
