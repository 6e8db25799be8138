"""What drives overall satisfaction: key-driver analysis (关键驱动因素) and the IPA grid (四分图).

Both explain an *outcome* — the instrument's overall rating — by *attributes*: the dimension indexes of
the other dimensions (``level="dimension"``) or their rating items (``level="item"``; ``"auto"`` takes
dimensions when there are at least two). The outcome is, in this order: an item marked
``"role": "overall"`` in the definition or coded ``overall``; the first rating item of a dimension
coded ``overall``, ``overall_rating``, ``loyalty`` or ``satisfaction``; the first 0–10 item; otherwise
the respondent's overall index (then the attributes are parts of it and the result says so in
``warnings``). Everything is on 0–100.

* Drivers: Johnson's relative weights (share of R² per attribute) with bootstrap percentile intervals.
* IPA: importance = correlation with the outcome (derived importance, default) or the relative weight;
  performance = the attribute's mean 0–100; crosshairs at the means (Martilla & James).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.insights.domain.analysis.common import clean, number
from carebridge.insights.domain.analysis.frame import RATING_TYPES, ResponseFrame
from carebridge.lib.stats.drivers import relative_weights
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.ipa import ipa
from carebridge.lib.stats.weights import derived_importance
from carebridge.surveys.choices import ItemType

OUTCOME_DIMENSIONS = ("overall", "overall_rating", "loyalty", "loy", "satisfaction", "sat")
OUTCOME = "__outcome__"
# The outcome "the respondent's overall index" (an item may well be coded "overall").
INDEX_OUTCOME = "__index__"
QUADRANT_LABELS = {
    "concentrate_here": gettext_lazy("Concentrate here (重点改进区)"),
    "keep_up": gettext_lazy("Keep up the good work (优势保持区)"),
    "low_priority": gettext_lazy("Low priority (次要改进区)"),
    "possible_overkill": gettext_lazy("Possible overkill (过度投入区)"),
}

Progress = Callable[[int], None]


@dataclass(frozen=True)
class DriverData:
    data: pd.DataFrame  # attribute columns and OUTCOME, 0–100, one row per respondent
    attributes: list[tuple[str, str]]  # (code, label)
    outcome: str  # an item code, or "overall" for the respondent index
    outcome_label: str
    level: str
    warnings: list[str]


def default_outcome(frame: ResponseFrame) -> str | None:
    """The item that states overall satisfaction or loyalty, or None (see the module docstring)."""
    ratings = [s for s in frame.items if s.scored and s.item_type in RATING_TYPES and s.code in frame.scores]
    for spec in ratings:
        if spec.spec.get("role") in ("overall", "outcome") or spec.code == "overall":
            return spec.code
    for spec in ratings:
        if spec.dimension.lower() in OUTCOME_DIMENSIONS:
            return spec.code
    return next((s.code for s in ratings if s.item_type == ItemType.SCALE_0_10), None)


def driver_data(frame: ResponseFrame, *, level: str = "auto", outcome: str | None = None) -> DriverData:
    """The attributes and the outcome of the analysed version's respondents, on 0–100."""
    if level not in ("auto", "dimension", "item"):
        raise StatsInputError(f"Unknown level {level!r}; use auto, dimension or item.")
    warnings: list[str] = []
    outcome = outcome or default_outcome(frame)
    rows = frame.scores.index
    if outcome is None or outcome == INDEX_OUTCOME:
        outcome, outcome_label = INDEX_OUTCOME, _("Overall index")
        target = frame.index.loc[rows, "overall"]
        excluded_dimension = None
        warnings.append(
            _("The instrument has no overall rating item, so the attributes explain the index they make up.")
        )
    else:
        if outcome not in frame.scores:
            raise StatsInputError(f"Unknown outcome item {outcome!r}.")
        outcome_label = frame.item_label(outcome)
        target = frame.scores[outcome]
        excluded_dimension = frame.item(outcome).dimension
    dimensions = [d for d in frame.dimensions if d.code != excluded_dimension and d.code in frame.index]
    if level == "auto":
        level = "dimension" if len(dimensions) >= 2 else "item"
    if level == "dimension":
        attributes = [(d.code, d.label) for d in dimensions]
        columns = {code: frame.index.loc[rows, code] for code, _label in attributes}
    else:
        specs = [
            s
            for s in frame.items
            if s.scored
            and s.item_type in RATING_TYPES
            and s.code in frame.scores
            and s.code != outcome
            and s.dimension != excluded_dimension
        ]
        attributes = [(s.code, frame.item_label(s.code)) for s in specs]
        columns = {s.code: frame.scores[s.code] for s in specs}
    if len(attributes) < 2:
        raise StatsInputError(_("At least two attributes besides the outcome are needed."))
    data = pd.DataFrame({**columns, OUTCOME: target}, index=rows)
    return DriverData(data, attributes, outcome, outcome_label, level, warnings)


def key_drivers(
    frame: ResponseFrame,
    *,
    level: str = "auto",
    outcome: str | None = None,
    n_boot: int = 500,
    seed: int = 20240601,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Relative weights of the attributes for the outcome, with bootstrap intervals when ``n_boot``.

    Returns ``{"outcome", "outcome_label", "level", "r2", "n", "n_boot", "drivers": [{"code", "label",
    "rank", "raw_weight", "pct", "pct_low", "pct_high", "beta", "r", "performance"}], "warnings"}``.
    """
    report = progress or (lambda _percent: None)
    if frame.suppressed(frame.n):
        return {"suppressed": True, "n": frame.n, "drivers": [], "warnings": []}
    source = driver_data(frame, level=level, outcome=outcome)
    report(10)
    codes = [code for code, _label in source.attributes]
    result = relative_weights(source.data, OUTCOME, codes, n_boot=n_boot, seed=seed)
    report(90)
    labels = dict(source.attributes)
    table = result.table.sort_values("raw_weight", ascending=False)
    drivers = []
    for rank, (code, row) in enumerate(table.iterrows(), start=1):
        drivers.append(
            {
                "code": code,
                "label": labels[str(code)],
                "rank": rank,
                "raw_weight": number(row["raw_weight"]),
                "pct": number(row["rescaled_pct"], 2),
                "pct_low": number(row.get("pct_low"), 2),
                "pct_high": number(row.get("pct_high"), 2),
                "beta": number(row["beta"], 3),
                "r": number(row["r"], 3),
                "performance": number(source.data[code].mean(), 2),
            }
        )
    warnings = list(source.warnings)
    if result.n < 100:
        warnings.append(
            _("Key drivers rest on %(n)d complete answers; at least 100 are advised.") % {"n": result.n}
        )
    return clean(
        {
            "suppressed": False,
            "outcome": source.outcome,
            "outcome_label": source.outcome_label,
            "level": source.level,
            "r2": number(result.r2, 4),
            "n": result.n,
            "n_boot": result.n_boot,
            "drivers": drivers,
            "warnings": warnings,
        }
    )


def ipa_grid(
    frame: ResponseFrame, *, level: str = "auto", outcome: str | None = None, importance: str = "derived"
) -> dict[str, Any]:
    """Importance–performance grid. ``importance`` is ``"derived"`` (correlation with the outcome) or
    ``"relative_weights"`` (share of R²). Returns ``{"importance_source", "importance_cut",
    "performance_cut", "points": [{"code", "label", "importance", "performance", "quadrant",
    "quadrant_label"}], "outcome_label", "level", "n", "warnings"}``."""
    if importance not in ("derived", "relative_weights"):
        raise StatsInputError(f"Unknown importance {importance!r}; use derived or relative_weights.")
    if frame.suppressed(frame.n):
        return {"suppressed": True, "points": [], "warnings": []}
    source = driver_data(frame, level=level, outcome=outcome)
    codes = [code for code, _label in source.attributes]
    if importance == "derived":
        derived = derived_importance(source.data, codes, OUTCOME)
        weights, n = derived.correlation, derived.n
    else:
        result = relative_weights(source.data, OUTCOME, codes)
        weights, n = result.table["rescaled_pct"] / 100.0, result.n
    performance = source.data[codes].mean()
    grid = ipa(weights, performance)
    labels = dict(source.attributes)
    points = [
        {
            "code": code,
            "label": labels[str(code)],
            "importance": number(row["importance"]),
            "performance": number(row["performance"], 2),
            "quadrant": row["quadrant"],
            "quadrant_label": str(QUADRANT_LABELS[row["quadrant"]]),
        }
        for code, row in grid.table.iterrows()
    ]
    return clean(
        {
            "suppressed": False,
            "importance_source": importance,
            "importance_cut": number(grid.importance_cut),
            "performance_cut": number(grid.performance_cut, 2),
            "points": points,
            "outcome": source.outcome,
            "outcome_label": source.outcome_label,
            "level": source.level,
            "n": n,
            "warnings": source.warnings,
        }
    )
