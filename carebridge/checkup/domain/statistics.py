"""The small statistics of the centre's page: mean ± SD (sample, n − 1, as the seed reports the age
45.37 ± 12.77), percentiles by linear interpolation between order statistics (R's type 7, numpy's
default), shares. Pure functions over lists, so a test can compute the same figure by hand."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class MeanSd:
    n: int
    mean: float | None
    sd: float | None

    def display(self) -> str:
        if self.mean is None:
            return "—"
        return f"{self.mean:.2f} ± {self.sd:.2f}" if self.sd is not None else f"{self.mean:.2f}"


def mean_sd(values: Sequence[float]) -> MeanSd:
    n = len(values)
    if n == 0:
        return MeanSd(0, None, None)
    mean = sum(values) / n
    if n == 1:
        return MeanSd(1, mean, None)
    variance = sum((v - mean) ** 2 for v in values) / (n - 1)
    return MeanSd(n, mean, math.sqrt(variance))


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q``-th percentile (0–100), type 7; ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole
