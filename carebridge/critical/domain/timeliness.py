"""Timeliness statistics (NPSG.02.03.01 practice): minutes from the result to the first attempt and to
the read-back, as p50 / p90 / max, and the share within the class's target. Pure functions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], share: float) -> float | None:
    """Nearest-rank percentile (the smallest value with at least ``share`` of the values at or below it)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Spread:
    n: int
    p50: float | None
    p90: float | None
    max: float | None
    within: int

    @property
    def share_within(self) -> float | None:
        return self.within / self.n if self.n else None


def spread(minutes: Sequence[float], targets: Sequence[float]) -> Spread:
    """``minutes[i]`` against ``targets[i]`` (each notification's own class target)."""
    within = sum(1 for value, target in zip(minutes, targets, strict=True) if value <= target)
    return Spread(
        n=len(minutes),
        p50=percentile(minutes, 0.5),
        p90=percentile(minutes, 0.9),
        max=max(minutes) if minutes else None,
        within=within,
    )
