"""Sample moments of complete rows, computed once and shared by the psychometric functions.

Alpha with its item table, KMO, Bartlett's test, EFA, parallel analysis and the ML CFA/SEM all
depend on complete data only through N, the item means, the covariance matrix and (for reversing
items around the observed scale) the smallest and largest answers. A panel that runs them all on a
million responses therefore reads the rows once (``SampleMoments.from_frame``) and hands the
moments to each function in place of the DataFrame, instead of having each one recompute the
covariance matrix (bench/insights_panel.py). The results are those of the DataFrame route, to
rounding (tested). Incomplete data have no such summary under pairwise deletion: ``from_frame``
refuses them unless asked to drop incomplete rows (listwise deletion).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from carebridge.lib.stats._frame import require_columns
from carebridge.lib.stats.errors import StatsInputError

BLOCK_ROWS = 32_768  # rows centred at a time: a few MB, so the centred block stays in cache


@dataclass(frozen=True)
class SampleMoments:
    """N, means, covariance matrix (N − 1 divisor), minima and maxima of complete rows."""

    names: tuple[str, ...]
    n: int
    mean: np.ndarray
    cov: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray

    @classmethod
    def from_frame(
        cls, df: pd.DataFrame, items: Sequence[str] | None = None, *, listwise: bool = False
    ) -> SampleMoments:
        """One pass over the rows. ``listwise`` drops incomplete rows; otherwise they are refused.

        Costs about one ``np.cov``: the minima and maxima (which also reveal a missing or infinite
        value), the means, then the centred cross-products a block of rows at a time (no centred
        copy of the whole table)."""
        names = require_columns(df, items)
        for name in names:
            if is_bool_dtype(df[name]) or not is_numeric_dtype(df[name]):
                raise StatsInputError(f"Column {name!r} is not numeric (dtype {df[name].dtype}).")
        values = df[names].to_numpy(dtype=float, copy=False)
        minimum, maximum = values.min(axis=0), values.max(axis=0)
        if np.isnan(minimum).any() or np.isnan(maximum).any():
            incomplete = np.isnan(values).any(axis=1)
            if not listwise:
                raise StatsInputError(
                    f"{int(incomplete.sum())} row(s) have a missing answer: sample moments need complete "
                    "rows (pass listwise=True to leave them out, or analyse the DataFrame for pairwise "
                    "deletion)."
                )
            values = values[~incomplete]
            minimum, maximum = values.min(axis=0), values.max(axis=0)
        infinite = [
            c for c, lo, hi in zip(names, minimum, maximum, strict=True) if np.isinf(lo) or np.isinf(hi)
        ]
        if infinite:
            raise StatsInputError(f"Column(s) contain infinite values: {', '.join(infinite)}.")
        n = values.shape[0]
        if n < 2:
            raise StatsInputError(f"Sample moments need at least 2 complete rows; got {n}.")
        mean = values.mean(axis=0)
        cross = np.zeros((len(names), len(names)))
        for start in range(0, n, BLOCK_ROWS):
            block = values[start : start + BLOCK_ROWS] - mean
            cross += block.T @ block
        return cls(names=tuple(names), n=n, mean=mean, cov=cross / (n - 1), minimum=minimum, maximum=maximum)

    def subset(self, items: Sequence[str] | None) -> SampleMoments:
        """The moments of ``items`` (all when None), in that order; unknown names are refused."""
        if items is None:
            return self
        names = require_columns(pd.DataFrame(columns=list(self.names)), items)
        index = [self.names.index(name) for name in names]
        return SampleMoments(
            names=tuple(names),
            n=self.n,
            mean=self.mean[index],
            cov=self.cov[np.ix_(index, index)],
            minimum=self.minimum[index],
            maximum=self.maximum[index],
        )

    def reversed(self, items: Sequence[str], lo: float, hi: float) -> SampleMoments:
        """The moments after recoding ``items`` as lo + hi − x."""
        flip = np.array([-1.0 if name in items else 1.0 for name in self.names])
        keyed = flip < 0
        return SampleMoments(
            names=self.names,
            n=self.n,
            mean=np.where(keyed, lo + hi - self.mean, self.mean),
            cov=self.cov * np.outer(flip, flip),
            minimum=np.where(keyed, lo + hi - self.maximum, self.minimum),
            maximum=np.where(keyed, lo + hi - self.minimum, self.maximum),
        )

    def correlation(self) -> np.ndarray:
        sd = np.sqrt(np.diag(self.cov))
        return np.asarray(self.cov / np.outer(sd, sd))

    def require_variance(self) -> None:
        flat = [name for name, v in zip(self.names, np.diag(self.cov), strict=True) if not v > 0]
        if flat:
            raise StatsInputError(f"Column(s) have no variance: {', '.join(flat)}.")
