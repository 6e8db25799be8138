"""Scoring a balanced scorecard (pure functions, no Django): a KPI's value → score (0–100, by its rule)
and band (red/amber/green), weighted roll-up of scores with missing figures left out, and the check that
weights at each level sum to 100.

Rules, for "higher is better" (mirrored when lower is better):
- ``linear``: 0 at the minimum, 100 at the target, straight line between and beyond (never below 0);
  above the target it keeps rising (a KPI beyond its target earns more than 100).
- ``capped``: as linear, but never more than 100.
- ``stepped``: ``steps`` = [[threshold, score], …]: the score of the best threshold reached, 0 if none.
A missing value scores ``None`` (shown as missing, left out of the roll-up, never counted as 0).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

HIGHER = "higher"
LOWER = "lower"
LINEAR = "linear"
CAPPED = "capped"
STEPPED = "stepped"
GREEN = "green"
AMBER = "amber"
RED = "red"
MISSING = "missing"
WEIGHT_TOTAL = Decimal(100)


def _better_or_equal(a: float, b: float, direction: str) -> bool:
    return a >= b if direction == HIGHER else a <= b


def score(
    value: float | None,
    *,
    target: float,
    minimum: float,
    rule: str,
    direction: str = HIGHER,
    steps: Sequence[Sequence[float]] = (),
) -> float | None:
    """The KPI's score, 0–100 (linear may exceed 100); ``None`` when the value is missing."""
    if value is None:
        return None
    if rule == STEPPED:
        reached = [
            float(points)
            for threshold, points in steps
            if _better_or_equal(value, float(threshold), direction)
        ]
        return max(reached) if reached else 0.0
    span = target - minimum
    if span == 0:
        return 100.0 if _better_or_equal(value, target, direction) else 0.0
    result = max(0.0, (value - minimum) / span * 100)
    if rule == CAPPED:
        result = min(100.0, result)
    return round(result, 2)


def band(value: float | None, *, green_from: float, amber_from: float, direction: str = HIGHER) -> str:
    """``green`` at ``green_from`` or better, ``amber`` at ``amber_from`` or better, else ``red``."""
    if value is None:
        return MISSING
    if _better_or_equal(value, green_from, direction):
        return GREEN
    if _better_or_equal(value, amber_from, direction):
        return AMBER
    return RED


def weighted(scores: Iterable[tuple[float | None, float]]) -> tuple[float | None, float]:
    """Weighted mean of ``(score, weight)`` pairs over the scores present, and the share of the weight
    they cover (0–100). All missing → (``None``, 0)."""
    total = covered = 0.0
    weight_sum = 0.0
    for value, weight in scores:
        weight_sum += weight
        if value is None:
            continue
        total += value * weight
        covered += weight
    if not covered:
        return None, 0.0
    return round(total / covered, 2), round(covered / weight_sum * 100 if weight_sum else 0.0, 1)


def band_of_score(value: float | None, *, green_from: float = 90, amber_from: float = 70) -> str:
    """The band of a roll-up score (objective, perspective, scorecard)."""
    return band(value, green_from=green_from, amber_from=amber_from)


def weight_problem(weights: Iterable[Decimal | float | int]) -> Decimal | None:
    """The sum of the weights when it is not 100 (``None`` when it is)."""
    total = sum((Decimal(str(w)) for w in weights), Decimal(0))
    return None if total == WEIGHT_TOTAL else total


def bonus_coefficient(total: float | None, *, floor: float = 0.5, ceiling: float = 1.5) -> float | None:
    """The bonus coefficient of a staff scorecard's total score (seed 篇2: the score sets the bonus): the
    score divided by 100, kept within [floor, ceiling]; missing score → missing coefficient."""
    if total is None:
        return None
    return round(min(ceiling, max(floor, total / 100)), 2)
