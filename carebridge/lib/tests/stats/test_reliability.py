"""Reliability against R psych::alpha on the bfi data.

References (R output printed in public documents; numbers are copied, the R code is not):
* [CLARK] Michael Clark, "psych explained" (https://m-clark.github.io/posts/2020-04-10-psych-explained/),
  ``alpha()`` of the five Agreeableness items with A1 reverse-keyed; the same table is printed
  in a second public R Markdown with A1 reversed by hand as ``A1_r``.
* [REVELLE] W. Revelle, "Alpha - standardized or non-standardized",
  https://personality-project.org/r/tutorials/faq/Comparing.alpha.html:
  ``print(alpha(bfi[16:20])$total, digits=6)`` on the five Neuroticism items.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.reliability import average_interitem_correlation, cronbach_alpha, split_half
from carebridge.lib.tests.datasets import load

AGREE = ["A1", "A2", "A3", "A4", "A5"]
NEURO = ["N1", "N2", "N3", "N4", "N5"]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return load("psych_bfi")


def test_neuroticism_alpha_matches_psych_to_six_digits(bfi: pd.DataFrame) -> None:
    # [REVELLE]: raw_alpha 0.813963 std.alpha 0.814675 G6(smc) 0.799126 average_r 0.467854
    #            S/N 4.39592 ase 0.0056071 mean 3.16227 sd 1.19633
    a = cronbach_alpha(bfi, NEURO)
    assert abs(a.raw_alpha - 0.813963) < 5e-7
    assert abs(a.std_alpha - 0.814675) < 5e-7
    assert abs(a.g6_smc - 0.799126) < 5e-7
    assert abs(a.average_r - 0.467854) < 5e-7
    assert abs(a.signal_noise - 4.39592) < 5e-6
    assert abs(a.ase - 0.0056071) < 5e-8
    assert abs(a.mean - 3.16227) < 5e-6
    assert abs(a.sd - 1.19633) < 5e-6


def test_agreeableness_with_reversed_item_matches_psych_total(bfi: pd.DataFrame) -> None:
    # [CLARK]: raw_alpha 0.7  std.alpha 0.71  G6(smc) 0.68  average_r 0.33  S/N 2.5  ase 0.009
    #          mean 4.7  sd 0.9  median_r 0.34
    a = cronbach_alpha(bfi, AGREE, reverse=["A1"], scale_min=1, scale_max=6)
    assert round(a.raw_alpha, 2) == 0.70
    assert round(a.std_alpha, 2) == 0.71
    assert round(a.g6_smc, 2) == 0.68
    assert round(a.average_r, 2) == 0.33
    assert round(a.signal_noise, 1) == 2.5
    assert round(a.ase, 3) == 0.009
    assert round(a.mean, 1) == 4.7
    assert round(a.sd, 1) == 0.9
    assert round(a.median_r, 2) == 0.34


def test_alpha_if_item_deleted_matches_psych(bfi: pd.DataFrame) -> None:
    # [CLARK] "Reliability if an item is dropped": raw_alpha std.alpha G6(smc) average_r S/N alpha se
    expected = {
        "A1": (0.72, 0.73, 0.67, 0.40, 2.6, 0.0087),
        "A2": (0.62, 0.63, 0.58, 0.29, 1.7, 0.0119),
        "A3": (0.60, 0.61, 0.56, 0.28, 1.6, 0.0124),
        "A4": (0.69, 0.69, 0.65, 0.36, 2.3, 0.0098),
        "A5": (0.64, 0.66, 0.61, 0.32, 1.9, 0.0111),
    }
    a = cronbach_alpha(bfi, AGREE, reverse=["A1"], scale_min=1, scale_max=6)
    for item in a.items:
        raw, std, g6, av_r, sn, se = expected[item.item]
        d = item.if_deleted
        assert (round(d.raw_alpha, 2), round(d.std_alpha, 2), round(d.g6_smc, 2), round(d.average_r, 2)) == (
            raw,
            std,
            g6,
            av_r,
        )
        assert round(d.signal_noise, 1) == sn
        assert round(d.alpha_se, 4) == se


def test_item_statistics_match_psych(bfi: pd.DataFrame) -> None:
    # [CLARK] "Item statistics": n raw.r std.r r.cor r.drop mean sd
    expected = {
        "A1": (2784, 0.58, 0.57, 0.38, 0.31, 4.6, 1.4),
        "A2": (2773, 0.73, 0.75, 0.67, 0.56, 4.8, 1.2),
        "A3": (2774, 0.76, 0.77, 0.71, 0.59, 4.6, 1.3),
        "A4": (2781, 0.65, 0.63, 0.47, 0.39, 4.7, 1.5),
        "A5": (2784, 0.69, 0.70, 0.60, 0.49, 4.6, 1.3),
    }
    a = cronbach_alpha(bfi, AGREE, reverse=["A1"], scale_min=1, scale_max=6)
    for item in a.items:
        n, raw_r, std_r, r_cor, r_drop, mean, sd = expected[item.item]
        assert item.n == n
        assert (round(item.raw_r, 2), round(item.std_r, 2), round(item.r_cor, 2), round(item.r_drop, 2)) == (
            raw_r,
            std_r,
            r_cor,
            r_drop,
        )
        assert (round(item.mean, 1), round(item.sd, 1)) == (mean, sd)
    assert [i.reversed for i in a.items] == [True, False, False, False, False]


def test_reversing_with_psych_default_range_equals_explicit_scale(bfi: pd.DataFrame) -> None:
    # bfi answers span 1-6, so psych's data-derived range and the declared scale coincide.
    a = cronbach_alpha(bfi, AGREE, reverse=["A1"])
    b = cronbach_alpha(bfi, AGREE, reverse=["A1"], scale_min=1, scale_max=6)
    assert a.mean == pytest.approx(b.mean)


# No published R value: the following pin the formulas on hand-checkable data.


def test_alpha_on_tiny_matrix_equals_hand_computation() -> None:
    # Items (1,2,3,4), (2,3,4,5), (1,3,3,5): item variances 5/3, 5/3, 8/3; total score
    # (4,8,10,14) has variance 52/3, so alpha = 3/2 * (1 - (18/3)/(52/3)) = 0.980769...
    df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 3, 4, 5], "c": [1, 3, 3, 5]})
    a = cronbach_alpha(df, ["a", "b", "c"])
    assert a.raw_alpha == pytest.approx(1.5 * (1 - 18 / 52))


def test_listwise_drops_incomplete_rows() -> None:
    df = pd.DataFrame({"a": [1, 2, 3, 4, 5, np.nan], "b": [2, 2, 4, 4, 5, 1], "c": [1, 3, 3, 5, 4, 1]})
    listwise = cronbach_alpha(df, ["a", "b", "c"], missing="listwise")
    complete = cronbach_alpha(df.dropna(), ["a", "b", "c"])
    assert listwise.raw_alpha == pytest.approx(complete.raw_alpha)
    assert listwise.n_rows == 5


def test_split_half_is_spearman_brown_of_half_scores() -> None:
    rng = np.random.default_rng(1)
    common = rng.normal(size=200)
    df = pd.DataFrame({f"i{k}": common + rng.normal(size=200) for k in range(6)})
    res = split_half(df, list(df.columns), method="odd_even")
    r = np.corrcoef(df[["i0", "i2", "i4"]].sum(axis=1), df[["i1", "i3", "i5"]].sum(axis=1))[0, 1]
    assert res.half_correlation == pytest.approx(r)
    assert res.spearman_brown == pytest.approx(2 * r / (1 + r))
    first = split_half(df, list(df.columns), method="first_second")
    assert first.first_half == ("i0", "i1", "i2")


def test_average_interitem_r_matches_alpha_output(bfi: pd.DataFrame) -> None:
    # [REVELLE] average_r 0.467854
    assert abs(average_interitem_correlation(bfi, NEURO) - 0.467854) < 5e-7


def test_unknown_and_text_columns_are_named(bfi: pd.DataFrame) -> None:
    with pytest.raises(StatsInputError, match="A9"):
        cronbach_alpha(bfi, ["A1", "A9"])
    df = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    with pytest.raises(StatsInputError, match="'b'"):
        cronbach_alpha(df, ["a", "b"])
    with pytest.raises(StatsInputError, match="N1"):
        cronbach_alpha(bfi, AGREE, reverse=["N1"])


def test_too_few_rows_and_items_are_refused() -> None:
    df = pd.DataFrame({"a": [1, 2], "b": [2, 1], "c": [1, 1]})
    with pytest.raises(StatsInputError, match="rows"):
        cronbach_alpha(df, ["a", "b", "c"])
    with pytest.raises(StatsInputError, match="at least 2 items"):
        cronbach_alpha(df, ["a"])
