"""Comparisons between departments, periods and hospitals, with multiple-testing correction.

Means: Welch's t-test (R ``t.test(var.equal = FALSE)``), one-way ANOVA (``anova(lm(y ~ g))``),
Kruskal–Wallis (``kruskal.test``). Box shares: chi-square test of k proportions (``prop.test`` /
``chisq.test``) and the two-proportion z-test. Pairwise comparisons against the rest of the data or
between each pair, with Holm or Benjamini–Hochberg adjustment exactly as statsmodels'
``multipletests`` and R's ``p.adjust``. Effect sizes: Cohen's d and Hedges' g, η² and ε², Cohen's h.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

from carebridge.lib.stats._frame import require_columns
from carebridge.lib.stats.errors import StatsInputError

ADJUST_METHODS = {"holm": "holm", "BH": "fdr_bh", "fdr_bh": "fdr_bh", "bonferroni": "bonferroni", "none": ""}


@dataclass(frozen=True)
class TTestResult:
    """Welch two-sample t-test: t, df, p, means, diff (a − b), ci_low/ci_high of the difference,
    cohens_d (pooled SD), hedges_g, n_a, n_b."""

    t: float
    df: float
    p: float
    mean_a: float
    mean_b: float
    diff: float
    ci_low: float
    ci_high: float
    cohens_d: float
    hedges_g: float
    n_a: int
    n_b: int


@dataclass(frozen=True)
class GroupTestResult:
    """A k-group test: method, statistic (F or H), df (tuple), p, effect_size (η² for ANOVA, ε² for
    Kruskal–Wallis), groups (n, mean, sd, median per group)."""

    method: str
    statistic: float
    df: tuple[float, ...]
    p: float
    effect_size: float
    groups: pd.DataFrame


@dataclass(frozen=True)
class ProportionTestResult:
    """Proportions test: method, statistic (chi² or z), df, p, groups (successes, n, share), and for
    two groups diff (first − second) with its Wald ci_low/ci_high and cohens_h."""

    method: str
    statistic: float
    df: int
    p: float
    groups: pd.DataFrame
    diff: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    cohens_h: float | None = None


def p_adjust(p: Sequence[float] | np.ndarray | pd.Series, method: str = "holm") -> np.ndarray:
    """Adjusted p-values; mirrors R ``p.adjust(p, method)`` for "holm", "BH", "bonferroni", "none"
    (via statsmodels ``multipletests``). Missing p-values stay missing and do not count as tests."""
    if method not in ADJUST_METHODS:
        raise StatsInputError(f"Unknown adjustment {method!r}; use one of {sorted(ADJUST_METHODS)}.")
    values = np.asarray(p, dtype=float)
    if ((values < 0) | (values > 1)).any():
        raise StatsInputError("p-values must lie between 0 and 1.")
    out = values.copy()
    ok = ~np.isnan(values)
    if method != "none" and ok.any():
        out[ok] = multipletests(values[ok], method=ADJUST_METHODS[method])[1]
    return out


def _numeric(values: Sequence[float] | pd.Series | np.ndarray, name: str) -> np.ndarray:
    series = pd.Series(values)
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        raise StatsInputError(f"{name} is not numeric.")
    return series.dropna().to_numpy(dtype=float)


def welch_t_test(
    a: Sequence[float] | pd.Series | np.ndarray,
    b: Sequence[float] | pd.Series | np.ndarray,
    *,
    level: float = 0.95,
) -> TTestResult:
    """Welch's t-test of mean(a) − mean(b); mirrors R ``t.test(a, b)`` (var.equal = FALSE)."""
    x, y = _numeric(a, "Sample a"), _numeric(b, "Sample b")
    if len(x) < 2 or len(y) < 2:
        raise StatsInputError(f"Each sample needs at least 2 values; got {len(x)} and {len(y)}.")
    vx, vy = x.var(ddof=1), y.var(ddof=1)
    if vx == 0 and vy == 0:
        raise StatsInputError("Both samples are constant; the t statistic is undefined.")
    se2x, se2y = vx / len(x), vy / len(y)
    df = (se2x + se2y) ** 2 / (se2x**2 / (len(x) - 1) + se2y**2 / (len(y) - 1))
    diff = x.mean() - y.mean()
    t = diff / np.sqrt(se2x + se2y)
    half = stats.t.ppf(1 - (1 - level) / 2, df) * np.sqrt(se2x + se2y)
    pooled = np.sqrt(((len(x) - 1) * vx + (len(y) - 1) * vy) / (len(x) + len(y) - 2))
    d = diff / pooled if pooled > 0 else float("nan")
    g = d * (1 - 3 / (4 * (len(x) + len(y)) - 9))  # Hedges' small-sample correction
    return TTestResult(
        t=float(t),
        df=float(df),
        p=float(2 * stats.t.sf(abs(t), df)),
        mean_a=float(x.mean()),
        mean_b=float(y.mean()),
        diff=float(diff),
        ci_low=float(diff - half),
        ci_high=float(diff + half),
        cohens_d=float(d),
        hedges_g=float(g),
        n_a=len(x),
        n_b=len(y),
    )


def _groups(data: pd.DataFrame, value: str, group: str) -> dict[str, np.ndarray]:
    require_columns(data, [value, group])
    if pd.api.types.is_bool_dtype(data[value]) or not pd.api.types.is_numeric_dtype(data[value]):
        raise StatsInputError(f"Column {value!r} is not numeric.")
    frame = data[[value, group]].dropna()
    out = {str(k): v[value].to_numpy(dtype=float) for k, v in frame.groupby(group, sort=True)}
    if len(out) < 2:
        raise StatsInputError(f"Column {group!r} has fewer than two groups with data.")
    return out


def _describe(groups: dict[str, np.ndarray]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "n": [len(v) for v in groups.values()],
            "mean": [v.mean() for v in groups.values()],
            "sd": [v.std(ddof=1) if len(v) > 1 else np.nan for v in groups.values()],
            "median": [np.median(v) for v in groups.values()],
        },
        index=list(groups),
    )


def compare_means(data: pd.DataFrame, value: str, group: str, *, method: str = "anova") -> GroupTestResult:
    """Test equal means (``anova``, as R ``anova(lm(value ~ group))``) or equal distributions
    (``kruskal``, as R ``kruskal.test``, with the tie correction) across the groups."""
    groups = _groups(data, value, group)
    small = [k for k, v in groups.items() if len(v) < 2]
    if small:
        raise StatsInputError(f"Group(s) {small} of {group!r} have fewer than 2 values.")
    k = len(groups)
    n = sum(len(v) for v in groups.values())
    if method == "anova":
        everything = np.concatenate(list(groups.values()))
        ss_between = sum(len(v) * (v.mean() - everything.mean()) ** 2 for v in groups.values())
        ss_total = ((everything - everything.mean()) ** 2).sum()
        if ss_total == ss_between:
            raise StatsInputError(f"No variation within the groups of {group!r}; F is undefined.")
        f = (ss_between / (k - 1)) / ((ss_total - ss_between) / (n - k))
        return GroupTestResult(
            "anova",
            float(f),
            (k - 1, n - k),
            float(stats.f.sf(f, k - 1, n - k)),
            float(ss_between / ss_total),
            _describe(groups),
        )
    if method == "kruskal":
        h, p = stats.kruskal(*groups.values())
        epsilon2 = h * (n + 1) / (n**2 - 1)  # ε² = H / ((n² − 1)/(n + 1))
        return GroupTestResult("kruskal", float(h), (k - 1,), float(p), float(epsilon2), _describe(groups))
    raise StatsInputError(f"Unknown method {method!r}; use 'anova' or 'kruskal'.")


def compare_proportions(
    successes: Sequence[int],
    totals: Sequence[int],
    *,
    labels: Sequence[str] | None = None,
    correct: bool = False,
) -> ProportionTestResult:
    """Chi-square test that k box shares are equal; mirrors R ``prop.test(x, n, correct)`` (Yates'
    correction only applies to two groups, as in R). For two groups also the difference, its Wald
    interval and Cohen's h; z = sign(diff)·√χ² is the two-proportion z-test when ``correct=False``."""
    x = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    if x.shape != n.shape or x.ndim != 1 or len(x) < 2:
        raise StatsInputError("Give at least two groups, with as many successes as totals.")
    if (n <= 0).any() or (x < 0).any() or (x > n).any():
        raise StatsInputError("Each group needs 0 ≤ successes ≤ total and a positive total.")
    names = [f"g{i + 1}" for i in range(len(x))] if labels is None else list(labels)
    share = x / n
    pooled = x.sum() / n.sum()
    if pooled in (0.0, 1.0):
        raise StatsInputError("All groups are 0 % or all 100 %; there is nothing to test.")
    expected = np.column_stack([n * pooled, n * (1 - pooled)])
    observed = np.column_stack([x, n - x])
    if correct and len(x) == 2:
        yates = min(0.5, abs(observed - expected).max())
        chi2 = float(((np.abs(observed - expected) - yates) ** 2 / expected).sum())
    else:
        chi2 = float(((observed - expected) ** 2 / expected).sum())
    df = len(x) - 1
    groups = pd.DataFrame({"successes": x, "n": n, "share": share}, index=names)
    result = ProportionTestResult("chi_square", chi2, df, float(stats.chi2.sf(chi2, df)), groups)
    if len(x) == 2:
        diff = float(share[0] - share[1])
        se = np.sqrt(share[0] * (1 - share[0]) / n[0] + share[1] * (1 - share[1]) / n[1])
        h = float(2 * np.arcsin(np.sqrt(share[0])) - 2 * np.arcsin(np.sqrt(share[1])))
        half = float(stats.norm.ppf(0.975) * se)
        return ProportionTestResult(
            "two_proportion", chi2, df, result.p, groups, diff, diff - half, diff + half, h
        )
    return result


def compare_box_shares(
    data: pd.DataFrame, value: str, group: str, *, top: Sequence[object], correct: bool = False
) -> ProportionTestResult:
    """Share of answers in ``top`` (e.g. the top box 4 and 5) compared across groups by chi-square."""
    require_columns(data, [value, group])
    frame = data[[value, group]].dropna()
    hits = frame[value].isin(list(top))
    grouped = hits.groupby(frame[group], sort=True)
    return compare_proportions(
        grouped.sum().to_numpy(),
        grouped.size().to_numpy(),
        labels=[str(k) for k in grouped.size().index],
        correct=correct,
    )


def pairwise_compare(
    data: pd.DataFrame,
    value: str,
    group: str,
    *,
    against: str = "rest",
    test: str = "welch",
    top: Sequence[object] | None = None,
    adjust: str = "holm",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Compare each group with the rest of the data (``against="rest"``, the usual "ward vs hospital"
    view; the rest rather than the whole so the two samples are independent) or each pair
    (``"pairs"``). ``test`` is ``welch`` (means, effect = Hedges' g), ``mannwhitney`` (effect = rank-
    biserial r) or ``proportion`` (share of ``top`` answers, effect = Cohen's h). Columns: group_a,
    group_b, n_a, n_b, estimate_a, estimate_b, diff, statistic, p, p_adj, significant, effect."""
    if against not in ("rest", "pairs"):
        raise StatsInputError("against must be 'rest' or 'pairs'.")
    if test == "proportion" and top is None:
        raise StatsInputError("A proportion comparison needs the top-box answers in top=.")
    if test not in ("welch", "mannwhitney", "proportion"):
        raise StatsInputError(f"Unknown test {test!r}; use 'welch', 'mannwhitney' or 'proportion'.")
    if test == "proportion":
        require_columns(data, [value, group])
        frame = data[[value, group]].dropna()
        groups = {
            str(k): v[value].isin(list(top or [])).to_numpy(dtype=float)
            for k, v in frame.groupby(group, sort=True)
        }
        if len(groups) < 2:
            raise StatsInputError(f"Column {group!r} has fewer than two groups with data.")
    else:
        groups = _groups(data, value, group)
    if against == "rest":
        pairs = [
            (k, "rest", v, np.concatenate([o for j, o in groups.items() if j != k]))
            for k, v in groups.items()
        ]
    else:
        pairs = [(a, b, groups[a], groups[b]) for a, b in combinations(groups, 2)]
    rows = [_pair_row(a, b, x, y, test) for a, b, x, y in pairs]
    table = pd.DataFrame(rows)
    table["p_adj"] = p_adjust(table["p"].to_numpy(), adjust)
    table["significant"] = table["p_adj"] < alpha
    return table[
        [
            "group_a",
            "group_b",
            "n_a",
            "n_b",
            "estimate_a",
            "estimate_b",
            "diff",
            "statistic",
            "p",
            "p_adj",
            "significant",
            "effect",
        ]
    ]


def _pair_row(a: str, b: str, x: np.ndarray, y: np.ndarray, test: str) -> dict[str, object]:
    row: dict[str, object] = {
        "group_a": a,
        "group_b": b,
        "n_a": len(x),
        "n_b": len(y),
        "estimate_a": float(x.mean()) if len(x) else np.nan,
        "estimate_b": float(y.mean()) if len(y) else np.nan,
    }
    row["diff"] = float(row["estimate_a"]) - float(row["estimate_b"])  # type: ignore[arg-type]
    stat = p = effect = np.nan
    if test == "welch" and len(x) >= 2 and len(y) >= 2 and (x.var() > 0 or y.var() > 0):
        res = welch_t_test(x, y)
        stat, p, effect = res.t, res.p, res.hedges_g
    elif test == "mannwhitney" and len(x) and len(y):
        u, p = stats.mannwhitneyu(x, y, alternative="two-sided")
        stat, effect = float(u), float(2 * u / (len(x) * len(y)) - 1)
    elif test == "proportion" and len(x) and len(y):
        pooled = (x.sum() + y.sum()) / (len(x) + len(y))
        if 0 < pooled < 1:
            res2 = compare_proportions([int(x.sum()), int(y.sum())], [len(x), len(y)])
            stat = float(np.sign(res2.diff or 0.0) * np.sqrt(res2.statistic))
            p = res2.p
            effect = res2.cohens_h if res2.cohens_h is not None else np.nan
    # Pairs that cannot be tested (too few answers, no variance) keep p = NaN and are not counted.
    row.update({"statistic": stat, "p": p, "effect": effect})
    return row
