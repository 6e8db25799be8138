"""Box scores, linear means, NPS, distributions and minimum-n flags.

R reference: the item response frequencies psych::alpha prints for bfi ("Non missing response
frequency for each item", https://m-clark.github.io/posts/2020-04-10-psych-explained/):
A2 0.02 0.05 0.05 0.20 0.37 0.31, miss 0.01. The t quantile qt(0.975, 4) = 2.776445 is R's value
(any t table). Box shares, NPS and flags have no R function to compare with: they are checked on
small data whose answers are known by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.descriptive import (
    box_scores,
    item_distribution,
    minimum_n_flag,
    minimum_n_flags,
    nps,
    t_interval,
    wilson_interval,
)
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.tests.datasets import load


def test_distribution_matches_psych_response_frequencies() -> None:
    bfi = load("psych_bfi")
    dist = item_distribution(bfi, "A2", scale_points=[1, 2, 3, 4, 5, 6])
    assert [round(dist.shares[float(v)], 2) for v in range(1, 7)] == [0.02, 0.05, 0.05, 0.20, 0.37, 0.31]
    assert round(dist.n_missing / len(bfi), 2) == 0.01
    assert dist.n_valid == 2773  # psych alpha item.stats n for A2


def test_linear_mean_uses_the_t_interval() -> None:
    df = pd.DataFrame({"q": [1, 2, 3, 4, 5]})
    res = box_scores(df, "q", scale_min=1, scale_max=5)
    # linear scores 0, 25, 50, 75, 100: mean 50, sd 39.528; half-width qt(.975, 4) * sd / sqrt(5)
    half = 2.776445 * np.std([0, 25, 50, 75, 100], ddof=1) / np.sqrt(5)
    assert res.linear_mean_100.estimate == pytest.approx(50.0)
    assert res.linear_mean_100.lower == pytest.approx(50 - half, abs=1e-4)
    assert res.mean.estimate == pytest.approx(3.0)


def test_box_shares_and_not_applicable_are_counted_apart() -> None:
    df = pd.DataFrame({"q": [5, 5, 4, 3, 2, 1, 9, None]})  # 9 = "not applicable"
    res = box_scores(df, "q", scale_min=1, scale_max=5, not_applicable=[9])
    assert res.n == 6 and res.n_excluded == 2
    assert res.top.estimate == pytest.approx(3 / 6)
    assert res.middle.estimate == pytest.approx(1 / 6)
    assert res.bottom.estimate == pytest.approx(2 / 6)
    assert res.top.lower < 0.5 < res.top.upper


def test_wilson_interval_known_value() -> None:
    # Wilson 95% interval for 5/10 is 0.5 +- 0.2634 (centre stays 0.5 by symmetry)
    iv = wilson_interval(5, 10)
    assert iv.lower == pytest.approx(0.2366, abs=1e-4)
    assert iv.upper == pytest.approx(0.7634, abs=1e-4)


def test_nps_counts_and_interval() -> None:
    df = pd.DataFrame({"nps": [10, 9, 9, 8, 7, 6, 0, 10, 3, 9]})  # 5 promoters, 2 passives, 3 detractors
    res = nps(df, "nps")
    assert (res.promoters, res.passives, res.detractors) == (5, 2, 3)
    assert res.nps.estimate == pytest.approx(20.0)
    se = np.sqrt((0.5 + 0.3 - 0.2**2) / 10) * 100
    assert res.nps.upper - res.nps.estimate == pytest.approx(1.959964 * se, rel=1e-6)


def test_minimum_n_flags() -> None:
    assert minimum_n_flag("ward 3", 29).below_minimum
    assert not minimum_n_flag("ward 3", 30).below_minimum
    assert minimum_n_flag("hospital", 99, minimum=100).below_minimum
    df = pd.DataFrame({"ward": ["a"] * 31 + ["b"] * 5, "score": [4.0] * 36})
    flags = {f.group: f.below_minimum for f in minimum_n_flags(df, "ward", "score")}
    assert flags == {"a": False, "b": True}


def test_bad_input_is_named() -> None:
    df = pd.DataFrame({"q": [1, 2, 7], "t": ["good", "bad", "ok"]})
    with pytest.raises(StatsInputError, match="outside"):
        box_scores(df, "q", scale_min=1, scale_max=5)
    with pytest.raises(StatsInputError, match="'t'"):
        box_scores(df, "t", scale_min=1, scale_max=5)
    with pytest.raises(StatsInputError, match="nope"):
        nps(df, "nope")
    with pytest.raises(StatsInputError, match="0-10"):
        nps(pd.DataFrame({"n": [11, 5]}), "n")
    with pytest.raises(StatsInputError, match="at least 2"):
        t_interval([1.0])
