"""Importance–performance analysis (IPA, 重要性–满意度矩阵), after Martilla & James (1977).

Each attribute is placed by its importance (stated, or derived from the overall rating) and its
performance (mean rating); crosshairs at the means of both axes (the data-centred variant) or at
given values divide the grid into four quadrants. There is no R package output to mirror; the
quadrant rules are those of Martilla & James.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from carebridge.lib.stats._frame import numeric_frame
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.weights import derived_importance

# Quadrant keys, with the words a hospital report uses for them.
QUADRANTS: dict[str, str] = {
    "concentrate_here": "重点改进区 (concentrate here)",
    "keep_up": "优势保持区 (keep up the good work)",
    "low_priority": "次要改进区 (low priority)",
    "possible_overkill": "过度投入区 (possible overkill)",
}


@dataclass(frozen=True)
class IpaResult:
    """table: per attribute importance, performance, quadrant (key of ``QUADRANTS``), label, and the
    gaps to the crosshairs; importance_cut and performance_cut: where the crosshairs are."""

    table: pd.DataFrame
    importance_cut: float
    performance_cut: float


def quadrant(importance: float, performance: float, importance_cut: float, performance_cut: float) -> str:
    """High means at or above the crosshair, so a point on a line goes to the side a manager watches."""
    high_i = importance >= importance_cut
    high_p = performance >= performance_cut
    if high_i and not high_p:
        return "concentrate_here"
    if high_i and high_p:
        return "keep_up"
    if not high_i and not high_p:
        return "low_priority"
    return "possible_overkill"


def ipa(
    importance: Mapping[str, float] | pd.Series,
    performance: Mapping[str, float] | pd.Series,
    *,
    importance_cut: float | None = None,
    performance_cut: float | None = None,
) -> IpaResult:
    """Place attributes in the IPA grid; cuts default to the means of the attributes' values."""
    imp = pd.Series(importance, dtype=float)
    perf = pd.Series(performance, dtype=float)
    only_one = sorted(set(imp.index) ^ set(perf.index))
    if only_one:
        raise StatsInputError(f"Attribute(s) {only_one} have importance or performance but not both.")
    if len(imp) < 2:
        raise StatsInputError("IPA needs at least two attributes.")
    perf = perf[imp.index]
    bad = [k for k in imp.index if pd.isna(imp[k]) or pd.isna(perf[k])]
    if bad:
        raise StatsInputError(f"Attribute(s) {bad} have a missing importance or performance.")
    i_cut = float(imp.mean()) if importance_cut is None else float(importance_cut)
    p_cut = float(perf.mean()) if performance_cut is None else float(performance_cut)
    keys = [quadrant(imp[k], perf[k], i_cut, p_cut) for k in imp.index]
    table = pd.DataFrame(
        {
            "importance": imp,
            "performance": perf,
            "quadrant": keys,
            "label": [QUADRANTS[k] for k in keys],
            "importance_gap": imp - i_cut,
            "performance_gap": perf - p_cut,
        }
    )
    return IpaResult(table=table, importance_cut=i_cut, performance_cut=p_cut)


def ipa_from_survey(
    data: pd.DataFrame,
    items: Sequence[str],
    overall: str,
    *,
    importance_cut: float | None = None,
    performance_cut: float | None = None,
    method: str = "pearson",
) -> IpaResult:
    """IPA with derived importance (correlation with ``overall``) and performance = item mean."""
    derived = derived_importance(data, items, overall, method=method)
    performance = numeric_frame(data, items).mean()
    return ipa(
        derived.correlation, performance, importance_cut=importance_cut, performance_cut=performance_cut
    )
