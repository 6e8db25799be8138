"""Key-driver analysis (关键驱动因素分析) by Johnson's relative weights.

Johnson (2000) splits the model R² among correlated predictors: the predictors are replaced by their
closest orthogonal counterparts Z (R_xx^{1/2}), the outcome is regressed on Z, and each predictor gets
Σ_k λ_jk² β_k² where λ = R_xx^{1/2}. Mirrors R ``rwa::rwa()`` (Raw.RelWeight, Rescaled.RelWeight in %
of R²), which follows Tonidandel & LeBreton's (2015) RWA-Web; bootstrap percentile intervals as in
``rwa(bootstrap = TRUE)``. Standardised betas and zero-order r are returned for comparison.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from carebridge.lib.stats._frame import numeric_frame
from carebridge.lib.stats.errors import StatsInputError


@dataclass(frozen=True)
class DriverResult:
    """table: per predictor raw_weight, rescaled_pct (sums to 100), beta (standardised), r
    (zero-order) and, with bootstrap, raw_low/raw_high and pct_low/pct_high; r2; n; n_boot; seed."""

    table: pd.DataFrame
    r2: float
    n: int
    n_boot: int
    seed: int | None


def _relative_weights(corr: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    rxx, rxy = corr[:-1, :-1], corr[:-1, -1]
    eigvals, eigvecs = np.linalg.eigh(rxx)
    if eigvals.min() <= 1e-10:
        raise StatsInputError("The predictors are linearly dependent; drop a redundant one.")
    lam = eigvecs @ np.diag(np.sqrt(eigvals)) @ eigvecs.T  # R_xx^{1/2}, symmetric
    beta_z = np.linalg.solve(lam, rxy)  # outcome on the orthogonal counterparts
    raw = (lam**2) @ (beta_z**2)
    beta = np.linalg.solve(rxx, rxy)
    return raw, beta, float(raw.sum())


def relative_weights(
    data: pd.DataFrame,
    outcome: str,
    predictors: Sequence[str],
    *,
    n_boot: int = 0,
    seed: int = 0,
    level: float = 0.95,
) -> DriverResult:
    """Johnson's relative weights of ``predictors`` for ``outcome`` (listwise-complete rows);
    mirrors ``rwa::rwa(df, outcome, predictors, bootstrap = n_boot > 0, n_bootstrap = n_boot)``."""
    if len(predictors) < 2:
        raise StatsInputError("Relative weights need at least two predictors.")
    if outcome in predictors:
        raise StatsInputError(f"The outcome {outcome!r} is also listed as a predictor.")
    frame = numeric_frame(data, [*predictors, outcome]).dropna()
    n = len(frame)
    if n < len(predictors) + 2:
        raise StatsInputError(
            f"Relative weights with {len(predictors)} predictors need at least {len(predictors) + 2} "
            f"complete rows; got {n}."
        )
    flat = [c for c in frame.columns if frame[c].std() == 0]
    if flat:
        raise StatsInputError(f"Column(s) {flat} have no variance.")
    values = frame.to_numpy()
    raw, beta, r2 = _relative_weights(np.corrcoef(values, rowvar=False))
    table = pd.DataFrame(
        {
            "raw_weight": raw,
            "rescaled_pct": raw / r2 * 100,
            "beta": beta,
            "r": np.corrcoef(values, rowvar=False)[:-1, -1],
        },
        index=list(predictors),
    )
    if n_boot:
        if n_boot < 100:
            raise StatsInputError("Use at least 100 bootstrap resamples for percentile intervals.")
        if not 0 < level < 1:
            raise StatsInputError("level must be between 0 and 1.")
        rng = np.random.default_rng(seed)
        draws: list[np.ndarray] = []
        while len(draws) < n_boot:
            sample = values[rng.integers(0, n, size=n)]
            if np.any(sample.std(axis=0) == 0):
                continue  # a resample without variance in a column has no correlation matrix
            try:
                raw_b, _, r2_b = _relative_weights(np.corrcoef(sample, rowvar=False))
            except StatsInputError:
                continue
            draws.append(np.concatenate([raw_b, raw_b / r2_b * 100]))
        m = np.vstack(draws)
        lo, hi = np.quantile(m, [(1 - level) / 2, 1 - (1 - level) / 2], axis=0)
        k = len(predictors)
        table["raw_low"], table["raw_high"] = lo[:k], hi[:k]
        table["pct_low"], table["pct_high"] = lo[k:], hi[k:]
    return DriverResult(table=table, r2=r2, n=n, n_boot=n_boot, seed=seed if n_boot else None)
