"""The AHP editor's arithmetic (层次分析法): weights from a pairwise judgement matrix, and why a matrix
is refused.

A matrix with a consistency ratio CR ≥ 0.10 (Saaty) is refused; the explanation names the judgements
that disagree most with the weights the whole matrix implies (the largest |ln(a_ij · w_j / w_i)|) and
the value those weights suggest, on Saaty's 1–9 scale, so the analyst knows which pair to revisit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from carebridge.lib.stats.errors import StatsInputError

SAATY_VALUES = (1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9)


def saaty(value: float) -> str:
    """A ratio as the nearest judgement on Saaty's scale ("3" or "1/3")."""
    if value >= 1:
        return f"{min(9, round(value))}"
    inverse = min(9, round(1 / value))
    return "1" if inverse == 1 else f"1/{inverse}"


@dataclass(frozen=True)
class Disagreement:
    """A judgement (row, column) = given, where the other judgements imply about ``implied``."""

    row: str
    column: str
    given: str
    implied: str
    error: float


@dataclass(frozen=True)
class AhpCheck:
    labels: list[str]
    weights: dict[str, float]
    lambda_max: float
    ci: float
    ri: float
    cr: float
    consistent: bool
    disagreements: list[Disagreement] = field(default_factory=list)


def matrix_from_upper(labels: Sequence[str], upper: dict[tuple[int, int], float]) -> np.ndarray:
    """The full reciprocal matrix from the judgements above the diagonal ({(i, j): a_ij}, i < j)."""
    n = len(labels)
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            value = upper.get((i, j))
            if value is None or not np.isfinite(value) or value <= 0:
                raise StatsInputError(f"The judgement ({labels[i]}, {labels[j]}) must be a positive number.")
            a[i, j], a[j, i] = value, 1.0 / value
    return a


def ahp_check(labels: Sequence[str], matrix: np.ndarray, *, worst: int = 3) -> AhpCheck:
    """Weights, λmax, CI, RI, CR and, for every matrix, the ``worst`` judgements that disagree most."""
    # Imported here: lib.stats.weights brings pandas, which the URL configuration must not load (issue 18).
    from carebridge.lib.stats.weights import CONSISTENCY_LIMIT, ahp

    result = ahp(matrix, list(labels))
    w = result.weights.to_numpy()
    error = np.abs(np.log(matrix * w[None, :] / w[:, None]))
    n = len(labels)
    pairs = sorted(((error[i, j], i, j) for i in range(n) for j in range(i + 1, n)), reverse=True)
    disagreements = [
        Disagreement(labels[i], labels[j], saaty(matrix[i, j]), saaty(w[i] / w[j]), float(e))
        for e, i, j in pairs[:worst]
        if e > 1e-9
    ]
    return AhpCheck(
        labels=list(labels),
        weights={label: float(v) for label, v in zip(labels, w, strict=True)},
        lambda_max=result.lambda_max,
        ci=result.ci,
        ri=result.ri,
        cr=result.cr,
        consistent=result.cr < CONSISTENCY_LIMIT,
        disagreements=disagreements,
    )
