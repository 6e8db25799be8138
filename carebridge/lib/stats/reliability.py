"""Internal-consistency reliability of a scale: Cronbach's alpha, item statistics and split-half.

``cronbach_alpha`` mirrors R ``psych::alpha()`` (psych >= 1.9): with ``missing="pairwise"`` (psych's
default ``use="pairwise"``) the item covariance matrix is computed from pairwise-complete rows, the
standardised statistics come from ``cov2cor`` of that matrix, and the item-level table reproduces the
``alpha.drop`` ("Reliability if an item is dropped") and ``item.stats`` blocks. ``missing="listwise"``
first drops every row with an unanswered item, which is what SPSS RELIABILITY does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from carebridge.lib.stats._frame import (
    cov_to_cor,
    numeric_frame,
    pairwise_cov,
    require_rows,
    require_variance,
    smc,
)
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.moments import SampleMoments

Missing = Literal["pairwise", "listwise"]
SplitMethod = Literal["first_second", "odd_even"]


@dataclass(frozen=True)
class AlphaCore:
    """The scale-level numbers psych prints in one row of ``total`` or ``alpha.drop``."""

    raw_alpha: float
    std_alpha: float
    g6_smc: float
    average_r: float
    median_r: float
    signal_noise: float
    alpha_se: float


@dataclass(frozen=True)
class ItemStatistics:
    """One row of psych's ``item.stats`` joined with its ``alpha.drop`` row."""

    item: str
    reversed: bool
    n: int
    raw_r: float
    std_r: float
    r_cor: float
    r_drop: float  # corrected item-total correlation: the item against the sum of the other items
    mean: float
    sd: float
    if_deleted: AlphaCore


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha for a scale (psych::alpha ``total``) with its per-item table."""

    raw_alpha: float
    std_alpha: float
    g6_smc: float
    average_r: float
    median_r: float
    signal_noise: float
    ase: float
    mean: float
    sd: float
    n_items: int
    n_rows: int
    missing: Missing
    items: tuple[ItemStatistics, ...]


@dataclass(frozen=True)
class SplitHalfResult:
    """Correlation of two half-test sum scores and its Spearman-Brown step-up to full length."""

    method: SplitMethod
    first_half: tuple[str, ...]
    second_half: tuple[str, ...]
    half_correlation: float
    spearman_brown: float
    n_rows: int


def _alpha_core(c: np.ndarray, r: np.ndarray, n_obs: int) -> AlphaCore:
    """psych's internal ``alpha.1``: raw alpha from the covariances, standardised alpha, Guttman's
    lambda-6 with SMCs, mean/median inter-item r, S/N and the Duhachek-Iacobucci standard error."""
    k = c.shape[0]
    total = float(c.sum())
    trace = float(np.trace(c))
    raw = (1.0 - trace / total) * k / (k - 1)
    sum_r = float(r.sum())
    std = (1.0 - k / sum_r) * k / (k - 1)
    g6 = 1.0 - (k - float(smc(r).sum())) / sum_r
    av_r = (sum_r - k) / (k * (k - 1))
    lower = r[np.tril_indices(k, -1)]
    med_r = float(np.median(lower))
    sn = k * av_r / (1.0 - av_r) if av_r < 1 else float("inf")
    cc = c @ c
    # Duhachek & Iacobucci (2004) variance of alpha, as corrected in psych 1.6 (Hattori).
    q = (2.0 * k**2 / ((k - 1) ** 2 * total**3)) * (
        total * (float(np.trace(cc)) + trace**2) - 2.0 * trace * float(cc.sum())
    )
    return AlphaCore(raw, std, g6, av_r, med_r, sn, float(np.sqrt(q / n_obs)))


def _keyed_items(
    frame: pd.DataFrame,
    reverse: Sequence[str],
    scale_min: float | None,
    scale_max: float | None,
) -> pd.DataFrame:
    """Reverse-key the named items as (min + max) - x. Without an explicit scale psych uses the
    smallest and largest answer found in all items; an explicit scale is safer (a 1-5 item nobody
    answered 1 to would otherwise be flipped around the wrong midpoint)."""
    unknown = [c for c in reverse if c not in frame.columns]
    if unknown:
        raise StatsInputError(f"Reverse-keyed item(s) not among the scale items: {', '.join(unknown)}.")
    if not reverse:
        return frame
    lo = float(np.nanmin(frame.to_numpy())) if scale_min is None else float(scale_min)
    hi = float(np.nanmax(frame.to_numpy())) if scale_max is None else float(scale_max)
    if hi <= lo:
        raise StatsInputError(f"Scale maximum ({hi}) must be greater than its minimum ({lo}).")
    out = frame.copy()
    for item in reverse:
        values = out[item]
        if ((values < lo) | (values > hi)).any():
            raise StatsInputError(f"Item {item!r} has answers outside the scale {lo:g}-{hi:g}.")
        out[item] = lo + hi - values
    return out


def _prepare(df: pd.DataFrame, items: Sequence[str], missing: Missing, min_items: int) -> pd.DataFrame:
    if missing not in ("pairwise", "listwise"):
        raise StatsInputError(f"missing must be 'pairwise' or 'listwise', not {missing!r}.")
    frame = numeric_frame(df, items)
    if frame.shape[1] < min_items:
        raise StatsInputError(f"A scale needs at least {min_items} items; got {frame.shape[1]}.")
    if missing == "listwise":
        frame = frame.dropna()
    require_rows(len(frame.dropna(how="all")), frame.shape[1] + 1, "Reliability analysis")
    require_variance(frame)
    return frame


def cronbach_alpha(
    df: pd.DataFrame | SampleMoments,
    items: Sequence[str],
    *,
    reverse: Sequence[str] = (),
    scale_min: float | None = None,
    scale_max: float | None = None,
    missing: Missing = "pairwise",
) -> AlphaResult:
    """Cronbach's alpha, raw and standardised, with alpha-if-item-deleted and item-total correlations.

    Mirrors ``psych::alpha(x, keys=reverse)``: ``raw_alpha``, ``std_alpha``, ``g6_smc``, ``average_r``,
    ``median_r``, ``signal_noise`` (S/N), ``ase``, ``mean`` and ``sd`` of the per-person item mean;
    each item carries psych's ``raw.r``, ``std.r``, ``r.cor``, ``r.drop`` and its ``alpha.drop`` row.
    ``df`` may also be the ``SampleMoments`` of complete rows (the same numbers without a pass over
    the rows; ``missing`` is then moot).
    """
    if isinstance(df, SampleMoments):
        return _alpha_from_moments(
            df, items, reverse=reverse, scale_min=scale_min, scale_max=scale_max, missing=missing
        )
    frame = _keyed_items(_prepare(df, items, missing, 2), reverse, scale_min, scale_max)
    c = pairwise_cov(frame)
    scores = frame.mean(axis=1, skipna=True)  # psych's default: mean of the answered items
    per_item = [
        (int(frame[name].notna().sum()), float(frame[name].corr(scores)), float(frame[name].mean()),
         float(frame[name].std()))
        for name in frame.columns
    ]  # fmt: skip
    names = [str(c) for c in frame.columns]
    return _alpha(
        names, c, len(frame), reverse=reverse, missing=missing, per_item=per_item,
        score_mean=float(scores.mean()), score_sd=float(scores.std()),
    )  # fmt: skip


def _alpha_from_moments(
    moments: SampleMoments,
    items: Sequence[str],
    *,
    reverse: Sequence[str],
    scale_min: float | None,
    scale_max: float | None,
    missing: Missing,
) -> AlphaResult:
    """Alpha from the moments of complete rows: the person score is the mean of the k items, so its
    mean is the mean of the item means, its variance 1'C1/k² and its covariance with an item (C1)_i/k."""
    if missing not in ("pairwise", "listwise"):
        raise StatsInputError(f"missing must be 'pairwise' or 'listwise', not {missing!r}.")
    m = moments.subset(items)
    if len(m.names) < 2:
        raise StatsInputError(f"A scale needs at least 2 items; got {len(m.names)}.")
    require_rows(m.n, len(m.names) + 1, "Reliability analysis")
    m.require_variance()
    unknown = [c for c in reverse if c not in m.names]
    if unknown:
        raise StatsInputError(f"Reverse-keyed item(s) not among the scale items: {', '.join(unknown)}.")
    if reverse:
        lo = float(m.minimum.min()) if scale_min is None else float(scale_min)
        hi = float(m.maximum.max()) if scale_max is None else float(scale_max)
        if hi <= lo:
            raise StatsInputError(f"Scale maximum ({hi}) must be greater than its minimum ({lo}).")
        for item in reverse:
            i = m.names.index(item)
            if m.minimum[i] < lo or m.maximum[i] > hi:
                raise StatsInputError(f"Item {item!r} has answers outside the scale {lo:g}-{hi:g}.")
        m = m.reversed(reverse, lo, hi)
    c, k = m.cov, len(m.names)
    total = float(c.sum())
    row_sums = c.sum(axis=1)
    per_item = [
        (m.n, float(row_sums[i] / np.sqrt(c[i, i] * total)), float(m.mean[i]), float(np.sqrt(c[i, i])))
        for i in range(k)
    ]
    return _alpha(
        list(m.names), c, m.n, reverse=reverse, missing=missing, per_item=per_item,
        score_mean=float(m.mean.mean()), score_sd=float(np.sqrt(total) / k),
    )  # fmt: skip


def _alpha(
    names: list[str],
    c: np.ndarray,
    n_obs: int,
    *,
    reverse: Sequence[str],
    missing: Missing,
    per_item: list[tuple[int, float, float, float]],
    score_mean: float,
    score_sd: float,
) -> AlphaResult:
    """The alpha table from the item covariances; ``per_item`` holds each item's (n, raw.r, mean, sd)."""
    r = cov_to_cor(c)
    k = len(names)
    total = _alpha_core(c, r, n_obs)
    smc_r = smc(r)
    r_with_smc = r.copy()
    np.fill_diagonal(r_with_smc, smc_r)
    std_r = r.sum(axis=0) / np.sqrt(r.sum())
    r_cor = r_with_smc.sum(axis=0) / np.sqrt(r_with_smc.sum())

    rows: list[ItemStatistics] = []
    for i, name in enumerate(names):
        keep = [j for j in range(k) if j != i]
        sub_c = c[np.ix_(keep, keep)]
        # r.drop: covariance of the item with the rest-score over the sds (psych computes it from C).
        r_drop = (c[:, i].sum() - c[i, i]) / np.sqrt(c[i, i] * sub_c.sum())
        if k > 2:
            dropped = _alpha_core(sub_c, r[np.ix_(keep, keep)], n_obs)
        else:
            # With two items the "scale without the item" is one item: psych reports r12 for both.
            r12 = float(r[0, 1])
            dropped = AlphaCore(r12, r12, float(smc_r[i]), r12, r12, float("nan"), float("nan"))
        n_item, raw_r, mean, sd = per_item[i]
        rows.append(
            ItemStatistics(
                item=name,
                reversed=name in reverse,
                n=n_item,
                raw_r=raw_r,
                std_r=float(std_r[i]),
                r_cor=float(r_cor[i]),
                r_drop=float(r_drop),
                mean=mean,
                sd=sd,
                if_deleted=dropped,
            )
        )
    return AlphaResult(
        raw_alpha=total.raw_alpha,
        std_alpha=total.std_alpha,
        g6_smc=total.g6_smc,
        average_r=total.average_r,
        median_r=total.median_r,
        signal_noise=total.signal_noise,
        ase=total.alpha_se,
        mean=score_mean,
        sd=score_sd,
        n_items=k,
        n_rows=n_obs,
        missing=missing,
        items=tuple(rows),
    )


def average_interitem_correlation(
    df: pd.DataFrame,
    items: Sequence[str],
    *,
    reverse: Sequence[str] = (),
    scale_min: float | None = None,
    scale_max: float | None = None,
    missing: Missing = "pairwise",
) -> float:
    """Mean of the off-diagonal item correlations (psych's ``average_r``), reverse keys applied."""
    frame = _keyed_items(_prepare(df, items, missing, 2), reverse, scale_min, scale_max)
    r = cov_to_cor(pairwise_cov(frame))
    k = r.shape[0]
    return float((r.sum() - k) / (k * (k - 1)))


def split_half(
    df: pd.DataFrame,
    items: Sequence[str],
    *,
    method: SplitMethod = "odd_even",
    reverse: Sequence[str] = (),
    scale_min: float | None = None,
    scale_max: float | None = None,
) -> SplitHalfResult:
    """Split-half reliability: Pearson r of the two half sum scores, stepped up by Spearman-Brown
    (2r / (1 + r)). ``first_second`` splits the item list in the middle (the first half gets the
    extra item when the count is odd), ``odd_even`` takes items 1, 3, 5... against 2, 4, 6....
    Rows with any unanswered item are dropped, because a sum score over fewer items is not
    comparable. (psych's ``splitHalf`` reports statistics over all possible splits instead.)"""
    if method not in ("first_second", "odd_even"):
        raise StatsInputError(f"method must be 'first_second' or 'odd_even', not {method!r}.")
    frame = _keyed_items(_prepare(df, items, "listwise", 2), reverse, scale_min, scale_max)
    names = [str(c) for c in frame.columns]
    if method == "odd_even":
        first, second = names[0::2], names[1::2]
    else:
        middle = (len(names) + 1) // 2
        first, second = names[:middle], names[middle:]
    a = frame[first].sum(axis=1)
    b = frame[second].sum(axis=1)
    if not (a.std() > 0 and b.std() > 0):
        raise StatsInputError("A half-test score has no variance; split-half r is undefined.")
    r = float(np.corrcoef(a, b)[0, 1])
    return SplitHalfResult(
        method=method,
        first_half=tuple(first),
        second_half=tuple(second),
        half_correlation=r,
        spearman_brown=2.0 * r / (1.0 + r),
        n_rows=len(frame),
    )
