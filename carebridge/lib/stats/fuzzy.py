"""Fuzzy comprehensive evaluation (模糊综合评价) of survey results.

The membership matrix R (indicator × grade) holds the share of answers in each grade; a weight
vector A combines its rows into the evaluation vector B = A ∘ R with either the weighted-average
operator M(·, +) (b_j = Σ a_i r_ij, the default because it uses every indicator) or Zadeh's
M(∧, ∨) (b_j = max_i min(a_i, r_ij), which lets the single most important indicator decide).
Multi-level evaluation runs indicator → dimension → overall. The result is read both as a score on
the grade scale (B normalised · grade values) and as the grade of maximum membership (最大隶属度原则).
There is no R package for this method; the functions follow the textbook definitions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebridge.lib.stats._frame import require_columns
from carebridge.lib.stats.errors import StatsInputError

OPERATORS = ("weighted_average", "min_max")


@dataclass(frozen=True)
class FuzzyResult:
    """vector: B as computed; membership: B normalised to sum 1; score: membership · grade values
    (None without grade values); grade: the grade of maximum membership; operator."""

    vector: pd.Series
    membership: pd.Series
    score: float | None
    grade: str
    operator: str


@dataclass(frozen=True)
class FuzzyHierarchyResult:
    """dimensions: per dimension the normalised membership over grades plus score and grade columns;
    overall: the top-level ``FuzzyResult``."""

    dimensions: pd.DataFrame
    overall: FuzzyResult


def membership_matrix(
    data: pd.DataFrame,
    items: Sequence[str],
    grades: Sequence[object],
    *,
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Share of valid answers of each item in each grade (rows = items, columns = grade labels).

    ``grades`` are the answer codes in order (e.g. 5, 4, 3, 2, 1 for 很满意…很不满意); answers outside
    them (such as 'not applicable') and missing answers are left out of the denominator."""
    names = require_columns(data, items)
    if len(grades) < 2:
        raise StatsInputError("A fuzzy evaluation needs at least two grades.")
    if len(set(grades)) != len(grades):
        raise StatsInputError("Grades must be distinct.")
    columns = [str(g) for g in grades] if labels is None else list(labels)
    if len(columns) != len(grades):
        raise StatsInputError(f"{len(columns)} labels for {len(grades)} grades.")
    rows = {}
    for item in names:
        counts = data[item].value_counts()
        found = np.array([float(counts.get(g, 0)) for g in grades])
        if found.sum() == 0:
            raise StatsInputError(f"Item {item!r} has no answers in the grades {list(grades)}.")
        rows[item] = found / found.sum()
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)


def membership_from_counts(counts: pd.DataFrame) -> pd.DataFrame:
    """Turn a table of counts (rows = indicators, columns = grades) into row shares."""
    if (counts < 0).to_numpy().any():
        raise StatsInputError("Counts must not be negative.")
    totals = counts.sum(axis=1)
    empty = list(totals[totals == 0].index)
    if empty:
        raise StatsInputError(f"Indicator(s) {empty} have no answers.")
    return counts.div(totals, axis=0)


def _check_membership(membership: pd.DataFrame) -> np.ndarray:
    try:
        r = membership.to_numpy(dtype=float)
    except (TypeError, ValueError) as exc:
        raise StatsInputError("The membership matrix must be numeric.") from exc
    if np.isnan(r).any() or (r < 0).any() or (r > 1).any():
        raise StatsInputError("Membership degrees must lie between 0 and 1.")
    return r


def fuzzy_evaluate(
    weights: Mapping[str, float] | pd.Series,
    membership: pd.DataFrame,
    *,
    operator: str = "weighted_average",
    grade_values: Sequence[float] | None = None,
) -> FuzzyResult:
    """One level of evaluation: B = A ∘ R for the indicators named in ``weights``.

    Weights are normalised to sum 1. ``grade_values`` (one per grade column, e.g. 100, 80, 60, 40, 20)
    give the score; without them only the maximum-membership grade is reported."""
    if operator not in OPERATORS:
        raise StatsInputError(f"Unknown operator {operator!r}; use one of {OPERATORS}.")
    w = pd.Series(weights, dtype=float)
    unknown = [i for i in w.index if i not in membership.index]
    if unknown:
        raise StatsInputError(f"Indicator(s) {unknown} are not rows of the membership matrix.")
    if w.isna().any() or (w < 0).any() or w.sum() <= 0:
        raise StatsInputError("Weights must be non-negative numbers with a positive sum.")
    w = w / w.sum()
    r = _check_membership(membership.loc[w.index])
    a = w.to_numpy()
    b = a @ r if operator == "weighted_average" else np.minimum(a[:, None], r).max(axis=0)
    grades = [str(c) for c in membership.columns]
    vector = pd.Series(b, index=grades, name="b")
    if b.sum() <= 0:
        raise StatsInputError("The evaluation vector is all zero; check the membership matrix.")
    # M(∧,∨) does not give a distribution, so B is normalised before it is read as one.
    normalised = (vector / b.sum()).rename("membership")
    score = None
    if grade_values is not None:
        if len(grade_values) != len(grades):
            raise StatsInputError(f"{len(grade_values)} grade values for {len(grades)} grades.")
        score = float(normalised.to_numpy() @ np.asarray(grade_values, dtype=float))
    return FuzzyResult(vector, normalised, score, grades[int(np.argmax(b))], operator)


def fuzzy_evaluate_hierarchy(
    membership: pd.DataFrame,
    indicator_weights: Mapping[str, Mapping[str, float]],
    dimension_weights: Mapping[str, float],
    *,
    operator: str = "weighted_average",
    grade_values: Sequence[float] | None = None,
) -> FuzzyHierarchyResult:
    """Two-level evaluation: indicators → dimension vectors B_k, then dimensions → overall vector.

    ``indicator_weights`` maps each dimension to its indicators' weights; ``dimension_weights`` maps
    dimensions to their weights (e.g. from ``weights.ahp``)."""
    missing = [d for d in dimension_weights if d not in indicator_weights]
    extra = [d for d in indicator_weights if d not in dimension_weights]
    if missing or extra:
        raise StatsInputError(f"Dimensions without indicators: {missing}; without a weight: {extra}.")
    rows = {}
    scores = {}
    grades = {}
    for dim in dimension_weights:
        result = fuzzy_evaluate(
            indicator_weights[dim], membership, operator=operator, grade_values=grade_values
        )
        rows[dim] = result.membership
        scores[dim] = result.score
        grades[dim] = result.grade
    second = pd.DataFrame(rows).T
    overall = fuzzy_evaluate(dimension_weights, second, operator=operator, grade_values=grade_values)
    table = second.copy()
    table["score"] = pd.Series(scores, dtype=float)
    table["grade"] = pd.Series(grades)
    return FuzzyHierarchyResult(dimensions=table, overall=overall)
