"""Comparisons against R's printed outputs on R's own example data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from carebridge.lib.stats.compare import (
    compare_box_shares,
    compare_means,
    compare_proportions,
    p_adjust,
    pairwise_compare,
    welch_t_test,
)
from carebridge.lib.stats.errors import StatsInputError

# R datasets::sleep (Student 1908), extra by group.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
# R datasets::PlantGrowth (Dobson 1983), weight by group.
PLANT = pd.DataFrame(
    {
        "weight": [
            4.17,
            5.58,
            5.18,
            6.11,
            4.50,
            4.61,
            5.17,
            4.53,
            5.33,
            5.14,
            4.81,
            4.17,
            4.41,
            3.59,
            5.87,
            3.83,
            6.03,
            4.89,
            4.32,
            4.69,
            6.31,
            5.12,
            5.54,
            5.50,
            5.37,
            5.29,
            4.92,
            6.15,
            5.80,
            5.26,
        ],
        "group": ["ctrl"] * 10 + ["trt1"] * 10 + ["trt2"] * 10,
    }
)


def test_welch_t_test_matches_r_t_test_on_sleep() -> None:
    # R: t.test(extra ~ group, data = sleep) prints t = -1.8608, df = 17.776, p-value = 0.07939,
    # 95 percent confidence interval -3.3654832 0.2054832 (R's printed example output).
    r = welch_t_test(SLEEP_1, SLEEP_2)
    assert round(r.t, 4) == -1.8608
    assert round(r.df, 3) == 17.776
    assert round(r.p, 5) == 0.07939
    assert (round(r.ci_low, 7), round(r.ci_high, 7)) == (-3.3654832, 0.2054832)


def test_anova_matches_r_on_plant_growth() -> None:
    # R: anova(lm(weight ~ group, PlantGrowth)): group Sum Sq 3.7663, Residuals 10.4921,
    # F value 4.8461, Pr(>F) 0.01591 on 2 and 27 df.
    r = compare_means(PLANT, "weight", "group")
    assert round(r.statistic, 4) == 4.8461
    assert round(r.p, 5) == 0.01591
    assert r.df == (2, 27)
    assert r.effect_size == pytest.approx(3.76634 / (3.76634 + 10.49209), abs=1e-5)  # η² from those sums


def test_kruskal_wallis_matches_r_on_plant_growth() -> None:
    # R: kruskal.test(weight ~ group, data = PlantGrowth):
    # Kruskal-Wallis chi-squared = 7.9882, df = 2, p-value = 0.01842 (r-statistics.co tutorial output).
    r = compare_means(PLANT, "weight", "group", method="kruskal")
    assert round(r.statistic, 4) == 7.9882
    assert round(r.p, 5) == 0.01842


def test_chi_square_of_proportions_matches_r_prop_test() -> None:
    # R ?prop.test example (smokers among patients), printed: X-squared = 12.6, df = 3, p-value = 0.005585.
    r = compare_proportions([83, 90, 129, 70], [86, 93, 136, 82])
    assert round(r.statistic, 1) == 12.6
    assert r.df == 3
    assert round(r.p, 6) == 0.005585
    # R: prop.test(x = c(490, 400), n = c(500, 500)) with Yates' correction: X-squared = 80.909.
    assert round(compare_proportions([490, 400], [500, 500], correct=True).statistic, 3) == 80.909


def test_two_proportion_z_is_the_root_of_the_uncorrected_chi_square() -> None:
    r = compare_proportions([490, 400], [500, 500])
    pooled = 890 / 1000
    z = (0.98 - 0.80) / np.sqrt(pooled * (1 - pooled) * (1 / 500 + 1 / 500))
    assert r.statistic == pytest.approx(z**2)
    assert r.diff == pytest.approx(0.18)


# R multtest::mt.rawp2adjp on these ten p-values, as recorded in statsmodels'
# statsmodels/stats/tests/test_multi.py (res_multtest1): sorted raw p, Holm and BH columns.
RAW_P = [
    0.838541367553,
    0.642193923795,
    0.680845947633,
    0.967833824309,
    0.71626938238,
    0.177096952723,
    5.23656777208e-05,
    0.0202732688798,
    0.00028140506198,
    0.0149877310796,
]
R_HOLM_SORTED = [
    5.2365677720800005e-04,
    2.5326455578199999e-03,
    1.1990184863680001e-01,
    1.4191288215860001e-01,
    1.0,
    1.0,
    1.0,
    1.0,
    1.0,
    1.0,
]
R_BH_SORTED = [
    5.2365677720800005e-04,
    1.4070253098999999e-03,
    4.9959103598666670e-02,
    5.0683172199499998e-02,
    3.5419390544599999e-01,
    8.9533672797500008e-01,
    8.9533672797500008e-01,
    8.9533672797500008e-01,
    9.3171263061444454e-01,
    9.6783382430900000e-01,
]


def test_holm_and_bh_match_r_and_statsmodels() -> None:
    order = np.argsort(RAW_P)
    np.testing.assert_allclose(p_adjust(RAW_P, "holm")[order], R_HOLM_SORTED, rtol=1e-12)
    np.testing.assert_allclose(p_adjust(RAW_P, "BH")[order], R_BH_SORTED, rtol=1e-12)
    np.testing.assert_allclose(p_adjust(RAW_P, "BH"), multipletests(RAW_P, method="fdr_bh")[1])


def test_bh_rejects_four_in_benjamini_hochbergs_example() -> None:
    # Benjamini & Hochberg (1995), Section 4 example of 15 p-values: at q = 0.05 the step-up
    # procedure rejects the 4 smallest (Bonferroni only 3).
    p = [
        0.0001,
        0.0004,
        0.0019,
        0.0095,
        0.0201,
        0.0278,
        0.0298,
        0.0344,
        0.0459,
        0.3240,
        0.4262,
        0.5719,
        0.6528,
        0.7590,
        1.000,
    ]
    assert (p_adjust(p, "BH") <= 0.05).sum() == 4
    assert (p_adjust(p, "bonferroni") <= 0.05).sum() == 3


def test_missing_p_values_are_not_counted_as_tests() -> None:
    out = p_adjust([0.01, np.nan, 0.04], "holm")
    assert np.isnan(out[1])
    assert out[[0, 2]].tolist() == pytest.approx([0.02, 0.04])


def test_pairwise_each_pair_uses_welch_and_holm() -> None:
    table = pairwise_compare(PLANT, "weight", "group", against="pairs")
    trt = table.set_index(["group_a", "group_b"]).loc[("trt1", "trt2")]
    a = PLANT.loc[PLANT.group == "trt1", "weight"]
    b = PLANT.loc[PLANT.group == "trt2", "weight"]
    assert trt["p"] == pytest.approx(welch_t_test(a, b).p)
    assert table["p_adj"].tolist() == pytest.approx(multipletests(table["p"], method="holm")[1].tolist())


def test_pairwise_against_the_rest_and_box_shares() -> None:
    data = pd.DataFrame({"q": [5, 5, 4, 2, 1, 5, 4, 4, 5, 3, 1, 2], "ward": list("AAAABBBBCCCC")})
    rest = pairwise_compare(data, "q", "ward", test="proportion", top=[4, 5])
    assert rest["group_b"].eq("rest").all()
    assert rest.loc[rest.group_a == "A", "estimate_a"].item() == pytest.approx(0.75)
    shares = compare_box_shares(data, "q", "ward", top=[4, 5])
    assert shares.groups["share"].tolist() == pytest.approx([0.75, 0.75, 0.25])


def test_it_rejects_bad_input() -> None:
    with pytest.raises(StatsInputError, match="nope"):
        compare_means(PLANT, "nope", "group")
    with pytest.raises(StatsInputError, match="group"):
        compare_means(PLANT, "group", "weight")
    with pytest.raises(StatsInputError, match="at least 2"):
        welch_t_test([1.0], [2.0, 3.0])
    with pytest.raises(StatsInputError, match="successes"):
        compare_proportions([5, 12], [10, 10])
