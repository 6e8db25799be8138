"""Indicator weights (指标权重): AHP (层次分析法), the entropy weight method (熵权法) and importance
derived from the overall rating.

``ahp`` follows Saaty (1980): principal right eigenvector of a positive reciprocal matrix, λmax,
CI = (λmax − n)/(n − 1), CR = CI/RI with Saaty's random index; it mirrors what R ``ahpsurvey::ahp.cr``
and ``pmr::ahp`` compute. ``entropy_weights`` is the Shannon entropy weight method; ``derived_importance``
is the correlation of each item with the overall item, normalised to sum 1 (key-driver shorthand).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebridge.lib.stats._frame import numeric_frame, require_columns
from carebridge.lib.stats.errors import StatsInputError

# Saaty's random consistency index by matrix order (Saaty 1980; orders 11–15 from Saaty 2005, p. 31).
RANDOM_INDEX: dict[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}
CONSISTENCY_LIMIT = 0.10


@dataclass(frozen=True)
class AhpResult:
    """weights (sum 1, indexed by label), lambda_max, ci, ri, cr, consistent (CR < 0.10), n.

    An inconsistent matrix is returned with ``consistent=False``; the caller decides to refuse it."""

    weights: pd.Series
    lambda_max: float
    ci: float
    ri: float
    cr: float
    consistent: bool
    n: int


@dataclass(frozen=True)
class EntropyResult:
    """weights (sum 1), entropy e_j and divergence d_j = 1 − e_j per criterion, n rows used."""

    weights: pd.Series
    entropy: pd.Series
    divergence: pd.Series
    n: int


@dataclass(frozen=True)
class DerivedImportance:
    """correlation of each item with the overall item, weights (negative r counted as 0, sum 1), n."""

    correlation: pd.Series
    weights: pd.Series
    n: int
    method: str


def _as_matrix(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[float]], labels: Sequence[str] | None
) -> tuple[np.ndarray, Sequence[str] | None]:
    if isinstance(matrix, pd.DataFrame):
        if labels is None:
            labels = [str(c) for c in matrix.columns]
        if list(map(str, matrix.index)) != list(map(str, matrix.columns)):
            raise StatsInputError("The comparison matrix must have the same labels on rows and columns.")
        values = matrix.to_numpy()
    else:
        values = np.asarray(matrix)
    try:
        return values.astype(float), labels
    except (TypeError, ValueError) as exc:
        raise StatsInputError("The comparison matrix must contain numbers only.") from exc


def ahp(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[float]],
    labels: Sequence[str] | None = None,
    *,
    tolerance: float = 0.05,
) -> AhpResult:
    """Priority weights of a pairwise comparison (判断) matrix by Saaty's eigenvector method.

    ``tolerance`` is the slack on reciprocity (|a_ij·a_ji − 1| ≤ tolerance), wide enough that judgements
    typed with two decimals (0.33 for 1/3, 0.13 for 1/8) pass and a real mismatch (3 against 1/2) fails.
    Mirrors ``ahpsurvey::ahp.indpref(method = "eigen")`` and ``ahpsurvey::ahp.cr``."""
    a, labels = _as_matrix(matrix, labels)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise StatsInputError(f"The comparison matrix must be square; got shape {a.shape}.")
    n = a.shape[0]
    if n < 2:
        raise StatsInputError("AHP needs at least two criteria.")
    if n not in RANDOM_INDEX:
        raise StatsInputError(f"Saaty's random index is tabulated up to 15 criteria; got {n}.")
    labels = [f"c{i + 1}" for i in range(n)] if labels is None else list(labels)
    if len(labels) != n:
        raise StatsInputError(f"{len(labels)} labels for a {n}×{n} matrix.")
    if not np.isfinite(a).all() or (a <= 0).any():
        i, j = np.argwhere(~np.isfinite(a) | (a <= 0))[0]
        raise StatsInputError(f"Entry ({labels[i]}, {labels[j]}) = {a[i, j]} must be a positive number.")
    for i in range(n):
        if abs(a[i, i] - 1) > tolerance:
            raise StatsInputError(f"Diagonal entry for {labels[i]!r} is {a[i, i]}, not 1.")
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1) > tolerance:
                raise StatsInputError(
                    f"The matrix is not reciprocal: ({labels[i]}, {labels[j]}) = {a[i, j]:g} but "
                    f"({labels[j]}, {labels[i]}) = {a[j, i]:g}, expected {1 / a[i, j]:g}."
                )
    eigenvalues, eigenvectors = np.linalg.eig(a)
    # Perron–Frobenius: the largest eigenvalue of a positive matrix is real, its vector one-signed.
    k = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[k].real)
    vector = np.abs(eigenvectors[:, k].real)
    weights = vector / vector.sum()
    ci = max(0.0, (lambda_max - n) / (n - 1))  # rounding can make a consistent matrix give λmax < n
    ri = RANDOM_INDEX[n]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(
        weights=pd.Series(weights, index=labels, name="weight"),
        lambda_max=lambda_max,
        ci=ci,
        ri=ri,
        cr=cr,
        consistent=cr < CONSISTENCY_LIMIT,
        n=n,
    )


def entropy_weights(
    data: pd.DataFrame,
    criteria: Sequence[str] | None = None,
    *,
    cost: Sequence[str] = (),
    normalise: str = "minmax",
) -> EntropyResult:
    """Entropy weight method on a decision matrix (rows = units such as departments, columns = criteria).

    ``normalise="minmax"`` rescales each criterion to [0, 1] (reversed for ``cost`` criteria, where
    less is better) before the shares p_ij = x_ij / Σ_i x_ij are taken; ``"none"`` uses the values as
    they are (they must then be non-negative). e_j = −Σ p_ij ln p_ij / ln m, d_j = 1 − e_j,
    w_j = d_j / Σ d_j."""
    frame = numeric_frame(data, criteria).dropna()
    unknown_cost = [c for c in cost if c not in frame.columns]
    if unknown_cost:
        raise StatsInputError(f"Cost criteria not among the criteria: {unknown_cost}.")
    m = len(frame)
    if m < 2:
        raise StatsInputError(f"The entropy method needs at least 2 complete rows; got {m}.")
    if normalise == "minmax":
        span = frame.max() - frame.min()
        flat = list(span[span == 0].index)
        if flat:
            raise StatsInputError(f"Criterion(s) {flat} take one value only; they carry no information.")
        x = (frame - frame.min()) / span
        for c in cost:
            x[c] = 1 - x[c]
    elif normalise == "none":
        negative = [c for c in frame.columns if (frame[c] < 0).any()]
        if negative:
            raise StatsInputError(f"Criterion(s) {negative} have negative values; use normalise='minmax'.")
        if cost:
            raise StatsInputError("Cost criteria need normalise='minmax'.")
        x = frame
    else:
        raise StatsInputError(f"Unknown normalise={normalise!r}; use 'minmax' or 'none'.")
    totals = x.sum()
    empty = list(totals[totals == 0].index)
    if empty:
        raise StatsInputError(f"Criterion(s) {empty} sum to zero.")
    p = x / totals
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(p), 0.0)  # 0·ln 0 is taken as 0
    entropy = pd.Series(-plogp.sum(axis=0) / np.log(m), index=frame.columns, name="entropy")
    divergence = (1 - entropy).rename("divergence")
    if divergence.sum() <= 0:
        raise StatsInputError("All criteria have maximal entropy (identical shares); no weights follow.")
    return EntropyResult(
        weights=(divergence / divergence.sum()).rename("weight"),
        entropy=entropy,
        divergence=divergence,
        n=m,
    )


def derived_importance(
    data: pd.DataFrame,
    items: Sequence[str],
    overall: str,
    *,
    method: str = "pearson",
) -> DerivedImportance:
    """Importance of each item as its correlation with the overall rating, normalised to sum 1.

    Items correlating negatively with the overall rating get weight 0 (a driver that lowers overall
    satisfaction when it improves is a data problem to look at, not a weight)."""
    if method not in ("pearson", "spearman", "kendall"):
        raise StatsInputError(f"Unknown correlation method {method!r}.")
    require_columns(data, [*items, overall])
    if overall in items:
        raise StatsInputError(f"The overall item {overall!r} is also listed among the items.")
    frame = numeric_frame(data, [*items, overall]).dropna()
    if len(frame) < 3:
        raise StatsInputError(f"Derived importance needs at least 3 complete rows; got {len(frame)}.")
    flat = [c for c in frame.columns if frame[c].std() == 0]
    if flat:
        raise StatsInputError(f"Column(s) {flat} have no variance.")
    r = frame[list(items)].corrwith(frame[overall], method=method).rename("r")
    positive = r.clip(lower=0)
    if positive.sum() <= 0:
        raise StatsInputError(f"No item correlates positively with {overall!r}.")
    return DerivedImportance(
        correlation=r,
        weights=(positive / positive.sum()).rename("weight"),
        n=len(frame),
        method=method,
    )
