"""Standardisation and the year-over-year tests against R's output and the closed forms.

``r_reference/standardise.txt`` is R 4.2.2's output (epitools 0.5-10.1) of ``r_reference/standardise.R``
on the built example below; ``test_every_figure_equals_r_output_at_its_printed_precision`` holds every
figure to it. The other tests write the same numbers out step by step as ``epitools::ageadjust.direct``
and ``poisson.test`` compute them, with scipy's gamma/chi² quantiles standing in for R's
``qgamma``/``pchisq``, so a failure says which step differs.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.standardise import (
    direct_standardise,
    mcnemar,
    observed_expected,
    two_proportions,
)

# A unit of young men against a standard of four strata (men <40, men 40+, women <40, women 40+).
COUNT = [6, 9, 2, 3]
POP = [60, 30, 10, 5]
STDPOP = [4000, 2500, 4000, 2500]


def test_every_figure_equals_r_output_at_its_printed_precision():
    # r_reference/standardise.txt, printed by R with digits = 10.
    direct = direct_standardise(COUNT, POP, STDPOP)
    assert (direct.crude, direct.adjusted, direct.lower, direct.upper) == pytest.approx(
        (0.1904761905, 0.2653846154, 0.1287233865, 0.5072447813), abs=5e-11
    )
    ratio = observed_expected(3, 7.5)
    assert (ratio.lower, ratio.upper) == pytest.approx((0.08248961639, 1.16896974263), abs=5e-12)
    assert ratio.p == pytest.approx(0.1383867693, abs=5e-11)
    assert observed_expected(0, 2.0).upper == pytest.approx(1.844439727, abs=5e-10)
    paired = mcnemar(150, 86)
    assert paired.statistic == pytest.approx(16.81779661, abs=5e-9)
    assert paired.p == pytest.approx(4.114562281e-05, rel=5e-10)
    groups = two_proportions(30, 100, 18, 100)
    assert groups.statistic == pytest.approx(3.316885965, abs=5e-10)
    assert groups.p == pytest.approx(0.06857159947, abs=5e-12)


def test_direct_standardisation_equals_epitools_ageadjust_direct_in_closed_form():
    # R: epitools::ageadjust.direct(count = c(6, 9, 2, 3), pop = c(60, 30, 10, 5),
    #                               stdpop = c(4000, 2500, 4000, 2500))
    w = [s / 13000 for s in STDPOP]  # stdwt <- stdpop/sum(stdpop)
    rates = [c / n for c, n in zip(COUNT, POP, strict=True)]
    dsr = sum(wi * r for wi, r in zip(w, rates, strict=True))  # sum(stdwt * rate)
    # dsr.var <- sum((stdwt^2) * (count/pop^2))
    var = sum(wi**2 * c / n**2 for wi, c, n in zip(w, COUNT, POP, strict=True))
    wm = max(wi / n for wi, n in zip(w, POP, strict=True))  # wm <- max(stdwt/pop)
    # By hand: rates 0.1, 0.3, 0.2, 0.6; dsr = (4000·0.1 + 2500·0.3 + 4000·0.2 + 2500·0.6)/13000
    assert dsr == pytest.approx(3450 / 13000)
    lower = stats.gamma.ppf(0.025, dsr**2 / var, scale=var / dsr)  # qgamma(alpha/2, ...)
    upper = stats.gamma.ppf(0.975, (dsr + wm) ** 2 / (var + wm**2), scale=(var + wm**2) / (dsr + wm))

    result = direct_standardise(COUNT, POP, STDPOP)

    assert result.crude == pytest.approx(20 / 105)  # cruderate <- sum(count)/sum(pop)
    assert result.adjusted == pytest.approx(0.265384615, abs=1e-9)
    assert result.variance == pytest.approx(var)
    assert result.lower == pytest.approx(lower, rel=1e-9)
    assert result.upper == pytest.approx(upper, rel=1e-9)
    # The young-men unit looks healthier crude (19.0%) than standardised (26.5%).
    assert result.crude < result.adjusted
    assert result.lower < result.adjusted < result.upper


def test_equal_stratum_rates_standardise_to_the_same_rate():
    result = direct_standardise([5, 10, 20], [50, 100, 200], [1, 1, 1])
    assert result.crude == pytest.approx(0.1)
    assert result.adjusted == pytest.approx(0.1)


def test_a_stratum_without_people_is_refused_with_a_clear_error():
    with pytest.raises(StatsInputError, match="at least one person"):
        direct_standardise([1, 0], [10, 0], [1, 1])


def test_observed_over_expected_equals_r_poisson_test_published_example():
    # R documentation of poisson.test (Armitage & Berry, p. 142): poisson.test(137, 24.19893) prints
    # "95 percent confidence interval: 4.753125 6.692709" and "event rate 5.661407".
    result = observed_expected(137, 24.19893)
    assert result.ratio == pytest.approx(5.661407, abs=5e-7)
    assert result.lower == pytest.approx(4.753125, abs=5e-7)
    assert result.upper == pytest.approx(6.692709, abs=5e-7)
    assert result.p < 2.2e-16  # R prints "p-value < 2.2e-16"


def test_observed_over_expected_garwood_limits_in_closed_form():
    # poisson.test(3, 7.5)$conf.int = c(qgamma(0.025, 3), qgamma(0.975, 4)) / 7.5
    #                                = c(qchisq(0.025, 6), qchisq(0.975, 8)) / 2 / 7.5
    result = observed_expected(3, 7.5)
    assert result.lower == pytest.approx(stats.chi2.ppf(0.025, 6) / 2 / 7.5)
    assert result.upper == pytest.approx(stats.chi2.ppf(0.975, 8) / 2 / 7.5)
    assert result.lower == pytest.approx(0.08249, abs=5e-6)  # qgamma(0.025, 3) = 0.61867; /7.5
    # Two-sided p as R sums it: P(X ≤ 3) + P(X ≥ 12) for X ~ Poisson(7.5)
    # (dpois(12, 7.5) = 0.0366 ≤ dpois(3, 7.5) = 0.0389 < dpois(11, 7.5) = 0.0585).
    p = stats.poisson.cdf(3, 7.5) + stats.poisson.sf(11, 7.5)
    assert result.p == pytest.approx(p)
    zero = observed_expected(0, 2.0)
    assert zero.lower == 0.0
    assert zero.upper == pytest.approx(-math.log(0.025) / 2.0)  # qgamma(0.975, 1)/2


def test_mcnemar_equals_r_mcnemar_test_in_closed_form():
    # mcnemar.test(matrix(c(794, 86, 150, 570), nrow = 2)): (|150 − 86| − 1)² / (150 + 86) = 3969/236
    result = mcnemar(150, 86)
    assert result.statistic == pytest.approx(3969 / 236)
    assert result.p == pytest.approx(stats.chi2.sf(3969 / 236, 1))
    assert mcnemar(0, 0).p is None


def test_two_proportions_equals_r_prop_test_with_yates_in_closed_form():
    # prop.test(c(30, 18), c(100, 100)): p = 0.24, E = (24, 76, 24, 76), Yates 0.5:
    # X² = 2·(5.5²/24 + 5.5²/76) = 3.3169
    result = two_proportions(30, 100, 18, 100)
    assert result.statistic == pytest.approx(2 * (5.5**2 / 24 + 5.5**2 / 76))
    assert result.p == pytest.approx(stats.chi2.sf(result.statistic, 1))
    assert two_proportions(0, 10, 0, 20).p is None
