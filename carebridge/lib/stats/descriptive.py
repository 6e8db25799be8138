"""Descriptive survey statistics: box scores, 0-100 linear means, NPS, item distributions, minimum n.

The review behind CareBridge asks for more than "an overall satisfaction rate": every share and mean
comes with its n and a confidence interval, and small groups are flagged rather than ranked.
Means use t-based intervals (R ``t.test``); shares use Wilson score intervals (R ``prop.test`` without
continuity correction), which stay inside [0, 1] for the small units hospitals compare.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from carebridge.lib.stats._frame import require_columns
from carebridge.lib.stats.errors import StatsInputError

DEFAULT_UNIT_MINIMUM = 30
DEFAULT_RATING_MINIMUM = 100


@dataclass(frozen=True)
class Interval:
    """A point estimate with its two-sided confidence interval."""

    estimate: float
    lower: float
    upper: float
    level: float


@dataclass(frozen=True)
class BoxScores:
    """Top/middle/bottom box shares and the 0-100 linear mean of one rating item."""

    item: str
    n: int  # valid answers on the scale
    n_excluded: int  # "not applicable" and missing answers, not in any denominator
    top: Interval
    middle: Interval
    bottom: Interval
    mean: Interval  # on the original scale
    linear_mean_100: Interval  # (x - min) / (max - min) * 100
    sd: float


@dataclass(frozen=True)
class NPSResult:
    """Net Promoter Score on a 0-10 item: promoters 9-10, passives 7-8, detractors 0-6."""

    item: str
    n: int
    promoters: int
    passives: int
    detractors: int
    nps: Interval  # -100 ... 100


@dataclass(frozen=True)
class Distribution:
    """Counts and shares per scale point; shares are of valid answers only."""

    item: str
    counts: dict[float, int]
    shares: dict[float, float]
    n_valid: int
    n_not_applicable: int
    n_missing: int
    n_out_of_scale: int


@dataclass(frozen=True)
class MinimumNFlag:
    """Whether a group has enough answers to be reported."""

    group: str
    n: int
    minimum: int
    below_minimum: bool


def _series(df: pd.DataFrame, column: str) -> pd.Series:
    require_columns(df, [column])
    return df[column]


def _split_valid(
    series: pd.Series, not_applicable: Iterable[object], column: str
) -> tuple[pd.Series, int, int]:
    """Separate "not applicable" codes and missing answers from the numeric answers."""
    na_codes = list(not_applicable)
    is_na_code = series.isin(na_codes) if na_codes else pd.Series(False, index=series.index)
    rest = series[~is_na_code & series.notna()]
    numeric = pd.to_numeric(rest, errors="coerce")
    bad = rest[numeric.isna()]
    if len(bad):
        raise StatsInputError(f"Column {column!r} has non-numeric answers such as {bad.iloc[0]!r}.")
    return numeric.astype("float64"), int(is_na_code.sum()), int(series.isna().sum())


def t_interval(values: Sequence[float] | np.ndarray | pd.Series, level: float = 0.95) -> Interval:
    """Mean with the t-based interval of R ``t.test(x)$conf.int``."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 2:
        raise StatsInputError(f"A confidence interval needs at least 2 answers; got {x.size}.")
    if not 0 < level < 1:
        raise StatsInputError("The confidence level must be between 0 and 1.")
    mean = float(x.mean())
    half = float(stats.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / np.sqrt(x.size))
    return Interval(mean, mean - half, mean + half, level)


def wilson_interval(successes: int, n: int, level: float = 0.95) -> Interval:
    """Share with the Wilson score interval (R ``prop.test(x, n, correct=FALSE)$conf.int``)."""
    if n < 1:
        raise StatsInputError("A share needs at least one answer.")
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = successes / n
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return Interval(p, max(0.0, centre - half), min(1.0, centre + half), level)


def box_scores(
    df: pd.DataFrame,
    column: str,
    *,
    scale_min: float,
    scale_max: float,
    top_points: int = 2,
    bottom_points: int = 2,
    not_applicable: Iterable[object] = (),
    level: float = 0.95,
) -> BoxScores:
    """Top-``top_points`` box, bottom-``bottom_points`` box and the middle, plus means.

    A 5-point item with the defaults gives the usual top-two box (4-5), middle (3) and bottom-two
    box (1-2). Answers coded as ``not_applicable`` and missing answers are excluded and counted."""
    if scale_max <= scale_min:
        raise StatsInputError("scale_max must be greater than scale_min.")
    points = scale_max - scale_min + 1
    if top_points < 1 or bottom_points < 1 or top_points + bottom_points > points:
        raise StatsInputError(
            f"Top ({top_points}) and bottom ({bottom_points}) boxes do not fit a {points:g}-point scale."
        )
    values, n_na, n_missing = _split_valid(_series(df, column), not_applicable, column)
    outside = values[(values < scale_min) | (values > scale_max)]
    if len(outside):
        raise StatsInputError(
            f"Column {column!r} has answers outside {scale_min:g}-{scale_max:g}, e.g. {outside.iloc[0]:g}."
        )
    n = len(values)
    if n < 2:
        raise StatsInputError(f"Column {column!r} has {n} valid answers; at least 2 are needed.")
    top = int((values > scale_max - top_points).sum())
    bottom = int((values < scale_min + bottom_points).sum())
    linear = (values - scale_min) / (scale_max - scale_min) * 100.0
    return BoxScores(
        item=column,
        n=n,
        n_excluded=n_na + n_missing,
        top=wilson_interval(top, n, level),
        middle=wilson_interval(n - top - bottom, n, level),
        bottom=wilson_interval(bottom, n, level),
        mean=t_interval(values, level),
        linear_mean_100=t_interval(linear, level),
        sd=float(values.std(ddof=1)),
    )


def nps(
    df: pd.DataFrame, column: str, *, not_applicable: Iterable[object] = (), level: float = 0.95
) -> NPSResult:
    """NPS = (% promoters - % detractors) x 100, with the normal-approximation interval of a mean
    of per-person scores +1/0/-1 (variance (p_P + p_D - (p_P - p_D)^2) / n)."""
    values, _, _ = _split_valid(_series(df, column), not_applicable, column)
    if ((values < 0) | (values > 10) | (values != np.round(values))).any():
        raise StatsInputError(f"Column {column!r} must hold whole numbers 0-10 for NPS.")
    n = len(values)
    if n < 2:
        raise StatsInputError(f"Column {column!r} has {n} valid answers; at least 2 are needed.")
    promoters = int((values >= 9).sum())
    detractors = int((values <= 6).sum())
    p_p, p_d = promoters / n, detractors / n
    score = (p_p - p_d) * 100
    se = float(np.sqrt(max(p_p + p_d - (p_p - p_d) ** 2, 0.0) / n)) * 100
    z = float(stats.norm.ppf(0.5 + level / 2))
    return NPSResult(
        item=column,
        n=n,
        promoters=promoters,
        passives=n - promoters - detractors,
        detractors=detractors,
        nps=Interval(score, max(-100.0, score - z * se), min(100.0, score + z * se), level),
    )


def item_distribution(
    df: pd.DataFrame,
    column: str,
    *,
    scale_points: Sequence[float],
    not_applicable: Iterable[object] = (),
) -> Distribution:
    """Counts and shares of each scale point (zero counts included); "not applicable", missing and
    out-of-scale answers are counted separately and left out of the shares."""
    if not scale_points:
        raise StatsInputError("scale_points must list the answer options.")
    values, n_na, n_missing = _split_valid(_series(df, column), not_applicable, column)
    points = [float(v) for v in scale_points]
    counts = {v: int((values == v).sum()) for v in points}
    n_valid = sum(counts.values())
    return Distribution(
        item=column,
        counts=counts,
        shares={v: (c / n_valid if n_valid else float("nan")) for v, c in counts.items()},
        n_valid=n_valid,
        n_not_applicable=n_na,
        n_missing=n_missing,
        n_out_of_scale=len(values) - n_valid,
    )


def minimum_n_flag(group: str, n: int, *, minimum: int = DEFAULT_UNIT_MINIMUM) -> MinimumNFlag:
    """Flag a group (a ward, a doctor) whose n is below the reporting minimum (default 30 for a
    unit; use ``DEFAULT_RATING_MINIMUM`` (100) for an overall rating)."""
    if n < 0 or minimum < 1:
        raise StatsInputError("n must be >= 0 and the minimum >= 1.")
    return MinimumNFlag(group=group, n=n, minimum=minimum, below_minimum=n < minimum)


def minimum_n_flags(
    df: pd.DataFrame, group_column: str, value_column: str, *, minimum: int = DEFAULT_UNIT_MINIMUM
) -> list[MinimumNFlag]:
    """One flag per group, counting the non-missing answers of ``value_column``."""
    require_columns(df, [group_column, value_column])
    counts = df.groupby(group_column, dropna=False)[value_column].count()
    return [minimum_n_flag(str(g), int(c), minimum=minimum) for g, c in counts.items()]
