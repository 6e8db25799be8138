"""Age/sex standardisation of prevalences and the tests a year-over-year comparison needs.

- **Direct standardisation** with the Fay–Feuer gamma interval, line for line R's
  ``epitools::ageadjust.direct(count, pop, stdpop = stdpop, conf.level = level)``: the standardised
  rate is Σ wᵢ·countᵢ/popᵢ with wᵢ the standard population's shares; its variance Σ wᵢ²·countᵢ/popᵢ²;
  the lower limit ``qgamma(α/2, shape = dsr²/var, scale = var/dsr)`` and the upper limit the same with
  dsr + wₘ and var + wₘ², wₘ = max(wᵢ/popᵢ) (Fay & Feuer, Stat Med 1997;16:791–801).
- **Indirect standardisation**: observed over expected (Σ popᵢ·reference rateᵢ) with the exact Poisson
  (Garwood 1936) interval, R's ``poisson.test(observed, expected)$conf.int`` (the limits
  ``qgamma(α/2, O)/E`` and ``qgamma(1 − α/2, O + 1)/E``) and its two-sided p-value as R computes it.
- **McNemar** for people examined in both years (R ``mcnemar.test``, continuity corrected) and the
  **two-proportion test** for the whole group (R ``prop.test(c(x1, x2), c(n1, n2))``, Yates-corrected).

Pure functions on numbers; no Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from carebridge.lib.stats.errors import StatsInputError


@dataclass(frozen=True)
class DirectRate:
    """``crude`` Σcount/Σpop; ``adjusted`` the directly standardised rate; ``lower``/``upper`` its
    Fay–Feuer gamma limits; ``variance`` of the adjusted rate."""

    crude: float
    adjusted: float
    lower: float
    upper: float
    variance: float
    level: float


@dataclass(frozen=True)
class RateRatio:
    """Observed over expected with the exact Poisson interval and two-sided p-value."""

    observed: int
    expected: float
    ratio: float
    lower: float
    upper: float
    p: float
    level: float


@dataclass(frozen=True)
class TestResult:
    statistic: float
    p: float | None  # None when the test has no information (no discordant pairs, all equal)


def _alpha(level: float) -> float:
    if not 0 < level < 1:
        raise StatsInputError("The confidence level must be between 0 and 1.")
    return 1 - level


def direct_standardise(
    count: Sequence[float], pop: Sequence[float], stdpop: Sequence[float], level: float = 0.95
) -> DirectRate:
    """R ``epitools::ageadjust.direct(count, pop, stdpop = stdpop, conf.level = level)``.

    Every stratum needs people (``pop > 0``): a stratum without people has no rate to weight, and R
    returns NaN; here it is refused with a clear error so the caller can say why."""
    c, n, s = (np.asarray(v, dtype=float) for v in (count, pop, stdpop))
    if not (c.size == n.size == s.size) or c.size == 0:
        raise StatsInputError("count, pop and stdpop need one value per stratum.")
    if (n <= 0).any():
        raise StatsInputError("Every stratum needs at least one person.")
    if (c < 0).any() or (c > n).any() or (s < 0).any() or s.sum() <= 0:
        raise StatsInputError("Counts lie between 0 and the stratum's size; the standard is positive.")
    alpha = _alpha(level)
    weights = s / s.sum()
    rate = c / n
    dsr = float((weights * rate).sum())
    var = float((weights**2 * c / n**2).sum())
    wm = float((weights / n).max())
    if dsr == 0 or var == 0:
        lower = 0.0  # R: qgamma with shape 0 (NaN scale) gives 0 for dsr = 0
    else:
        lower = float(stats.gamma.ppf(alpha / 2, a=dsr**2 / var, scale=var / dsr))
    shape, scale = (dsr + wm) ** 2 / (var + wm**2), (var + wm**2) / (dsr + wm)
    upper = float(stats.gamma.ppf(1 - alpha / 2, a=shape, scale=scale))
    return DirectRate(float(c.sum() / n.sum()), dsr, lower, upper, var, level)


def _poisson_two_sided(x: int, m: float) -> float:
    """R ``poisson.test(x, T = 1, r = m)$p.value``: the probability of outcomes no more likely than x."""
    if m == 0:
        return 1.0 if x == 0 else 0.0
    rel_err = 1 + 1e-7
    d = stats.poisson.pmf(x, m)
    if x == m:
        return 1.0
    if x < m:
        big = math.ceil(2 * m - x)
        while stats.poisson.pmf(big, m) > d:
            big *= 2
        i = np.arange(math.ceil(m), big + 1)
        y = int((stats.poisson.pmf(i, m) <= d * rel_err).sum())
        return float(min(1.0, stats.poisson.cdf(x, m) + stats.poisson.sf(big - y, m)))
    i = np.arange(0, math.floor(m) + 1)
    y = int((stats.poisson.pmf(i, m) <= d * rel_err).sum())
    return float(min(1.0, stats.poisson.cdf(y - 1, m) + stats.poisson.sf(x - 1, m)))


def observed_expected(observed: int, expected: float, level: float = 0.95) -> RateRatio:
    """R ``poisson.test(observed, T = expected)``: the ratio O/E, its exact (Garwood) interval
    ``[qgamma(α/2, O)/E, qgamma(1 − α/2, O + 1)/E]`` and the two-sided p-value for O/E = 1."""
    if observed < 0 or int(observed) != observed:
        raise StatsInputError("The observed count is a whole number, at least 0.")
    if expected <= 0:
        raise StatsInputError("The expected count must be positive.")
    alpha = _alpha(level)
    o = int(observed)
    lower = 0.0 if o == 0 else float(stats.gamma.ppf(alpha / 2, o)) / expected
    upper = float(stats.gamma.ppf(1 - alpha / 2, o + 1)) / expected
    return RateRatio(o, float(expected), o / expected, lower, upper, _poisson_two_sided(o, expected), level)


def mcnemar(b: int, c: int) -> TestResult:
    """R ``mcnemar.test(matrix(c(a, c, b, d), 2))`` (continuity corrected): ``b`` people had the finding
    only in the first year, ``c`` only in the second. No discordant pair: no test (p ``None``)."""
    if b < 0 or c < 0:
        raise StatsInputError("Counts of discordant pairs are at least 0.")
    if b + c == 0:
        return TestResult(0.0, None)
    statistic = (abs(b - c) - 1) ** 2 / (b + c)
    return TestResult(float(statistic), float(stats.chi2.sf(statistic, 1)))


def two_proportions(x1: int, n1: int, x2: int, n2: int) -> TestResult:
    """R ``prop.test(c(x1, x2), c(n1, n2))``: statistic and p-value (Yates' correction, R's default)."""
    if min(n1, n2) < 1 or not (0 <= x1 <= n1 and 0 <= x2 <= n2):
        raise StatsInputError("Each group needs people, and cases between 0 and the group's size.")
    x = np.array([[x1, n1 - x1], [x2, n2 - x2]], dtype=float)
    n = np.array([n1, n2], dtype=float)
    p = (x1 + x2) / (n1 + n2)
    if p in (0.0, 1.0):
        return TestResult(0.0, None)
    expected = np.outer(n, [p, 1 - p])
    delta = x1 / n1 - x2 / n2
    yates = min(0.5, abs(delta) / float((1 / n).sum()))
    statistic = float(((np.abs(x - expected) - yates) ** 2 / expected).sum())
    return TestResult(statistic, float(stats.chi2.sf(statistic, 1)))
