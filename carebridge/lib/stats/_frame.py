"""Input checks shared by the psychometric functions: every public function turns a DataFrame and a list
of column names into a clean float matrix here, so every error message reads the same way."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from carebridge.lib.stats.errors import StatsInputError


def require_columns(df: pd.DataFrame, columns: Sequence[str] | None) -> list[str]:
    """Return the requested columns (all columns when None), naming any that the frame lacks."""
    if not isinstance(df, pd.DataFrame):
        raise StatsInputError(f"Expected a pandas DataFrame, got {type(df).__name__}.")
    names = [str(c) for c in df.columns] if columns is None else [str(c) for c in columns]
    if not names:
        raise StatsInputError("No columns were given to analyse.")
    duplicated = sorted({c for c in names if names.count(c) > 1})
    if duplicated:
        raise StatsInputError(f"Columns listed more than once: {', '.join(duplicated)}.")
    missing = [c for c in names if c not in df.columns]
    if missing:
        raise StatsInputError(f"Unknown column(s): {', '.join(missing)}.")
    return names


def numeric_frame(df: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    """The named columns as float64; a text or boolean column is an error naming that column
    (silently coercing '5 - very good' to NaN would hide a data-entry problem)."""
    names = require_columns(df, columns)
    for name in names:
        series = df[name]
        if is_bool_dtype(series) or not is_numeric_dtype(series):
            raise StatsInputError(f"Column {name!r} is not numeric (dtype {series.dtype}).")
    out = df[names].astype("float64")
    infinite = [c for c in names if np.isinf(out[c].to_numpy()).any()]
    if infinite:
        raise StatsInputError(f"Column(s) contain infinite values: {', '.join(infinite)}.")
    return out


def require_rows(n: int, minimum: int, what: str) -> None:
    """Fail with a count-based message when there are too few usable rows."""
    if n < minimum:
        raise StatsInputError(f"{what} needs at least {minimum} usable rows; got {n}.")


def require_variance(frame: pd.DataFrame) -> None:
    """Items without variance make correlations undefined; name them instead of returning NaN."""
    flat = [c for c in frame.columns if not (frame[c].std(skipna=True) > 0)]
    if flat:
        raise StatsInputError(f"Column(s) have no variance: {', '.join(map(str, flat))}.")


def pairwise_cov(frame: pd.DataFrame) -> np.ndarray:
    """Pairwise-complete covariance with n-1 denominators, as R's cov(use="pairwise")."""
    if len(frame) > 1 and not frame.isna().to_numpy().any():
        # Complete data: every pair has all rows, and numpy's BLAS product is ~30× faster than
        # pandas' pair-by-pair loop on a million rows (bench/insights_panel.py).
        return np.asarray(np.cov(frame.to_numpy(dtype=float), rowvar=False))
    cov = frame.cov(min_periods=2).to_numpy()
    if np.isnan(cov).any():
        raise StatsInputError("Some pairs of columns have fewer than two rows answered together.")
    return cov


def pairwise_cor(frame: pd.DataFrame) -> np.ndarray:
    """Pairwise-complete Pearson correlation, as R's cor(use="pairwise")."""
    if len(frame) > 1 and not frame.isna().to_numpy().any():
        return cov_to_cor(pairwise_cov(frame))  # complete data: the fast path above
    cor = frame.corr(min_periods=2).to_numpy()
    if np.isnan(cor).any():
        raise StatsInputError("Some pairs of columns have fewer than two rows answered together.")
    return cor


def cov_to_cor(cov: np.ndarray) -> np.ndarray:
    """R's cov2cor."""
    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd)


def smc(r: np.ndarray) -> np.ndarray:
    """Squared multiple correlations 1 - 1/diag(R^-1), as psych::smc (pseudo-inverse if R is singular)."""
    try:
        inv = np.linalg.inv(r)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(r)
    return np.asarray(1.0 - 1.0 / np.diag(inv))
