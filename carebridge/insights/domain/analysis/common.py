"""Small helpers shared by the analysis modules: intervals as JSON, NaN-free numbers, minimum n."""

from __future__ import annotations

import math
from typing import Any, TypedDict

import numpy as np
import pandas as pd
from scipy import stats

from carebridge.insights.domain.analysis.names import UNIT_MINIMUM

# A unit (ward, department) with fewer answers than this is shown greyed and never ranked.
LEVEL = 0.95


class Estimate(TypedDict):
    """A mean with its confidence interval (None when n < 2) and its n."""

    estimate: float | None
    lower: float | None
    upper: float | None
    n: int
    small: bool
    suppressed: bool


def number(value: Any, digits: int = 4) -> float | None:
    """A finite float rounded for display and JSON, or None (NaN and infinities are not numbers)."""
    if value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return round(x, digits) if math.isfinite(x) else None


def clean(value: Any) -> Any:
    """Make a result JSON-safe: numpy scalars to Python, NaN to None, tuples to lists, keys to str."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return number(value, 6)
    return value


def mean_interval(values: pd.Series | np.ndarray, *, suppress_below: int = 0) -> Estimate:
    """Mean with the t interval over respondents (R ``t.test``). The index of a group is the mean of
    its respondents' indexes, so this is the delta-method interval of the index with no further
    approximation: respondents are independent, their weighted indexes are the observations."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = int(x.size)
    if suppress_below and n < suppress_below:
        return Estimate(estimate=None, lower=None, upper=None, n=n, small=True, suppressed=True)
    if n == 0:
        return Estimate(estimate=None, lower=None, upper=None, n=0, small=True, suppressed=False)
    mean = float(x.mean())
    lower = upper = None
    if n >= 2:
        half = float(stats.t.ppf(0.5 + LEVEL / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
        lower, upper = number(max(0.0, mean - half)), number(min(100.0, mean + half))
    return Estimate(
        estimate=number(mean),
        lower=lower,
        upper=upper,
        n=n,
        small=n < UNIT_MINIMUM,
        suppressed=False,
    )
