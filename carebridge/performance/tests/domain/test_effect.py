"""The effect check's verdict, against numbers computed in closed form (cited per test), and its refusal
to judge below the insights app's minimum n of a reporting unit (30)."""

from __future__ import annotations

import pytest
from django.utils import translation

from carebridge.performance.choices import EffectVerdict
from carebridge.performance.domain.effect import MeanSample, ShareSample, effect_judge


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_share_that_rose_from_50_to_75_percent_improved_with_the_chi_square_test():
    # 30/60 before, 45/60 after: pooled share 0.625, expected 37.5 hits and 22.5 misses per window, so
    # χ² = 2·7.5²/37.5 + 2·7.5²/22.5 = 3 + 5 = 8 on 1 df; p = P(χ²₁ > 8) = 0.004677735 (R:
    # prop.test(c(45, 30), c(60, 60), correct = FALSE) gives X-squared = 8, p-value = 0.004678).
    result = effect_judge(measure="Answered in time", before=ShareSample(30, 60), after=ShareSample(45, 60))
    assert result["test"] == "two_proportion"
    assert result["statistic"] == pytest.approx(8.0)
    assert result["p"] == pytest.approx(0.004677735, rel=1e-6)
    assert (result["before"], result["after"]) == (0.5, 0.75)
    assert result["verdict"] == EffectVerdict.IMPROVED
    assert result["sentence"] == (
        "Answered in time improved: 50.0% before (n = 60) and 75.0% after (n = 60), p = 0.00468."
    )


def test_a_mean_that_rose_by_ten_points_improved_with_welchs_t_test():
    # Fifteen 60s and fifteen 70s before (mean 65, s² = 30·25/29), fifteen 70s and fifteen 80s after
    # (mean 75, same s²): t = 10 / √(2·(750/29)/30) = 7.6158, and with equal n and variance Welch's df is
    # exactly 2(n − 1) = 58.
    before = MeanSample([60.0] * 15 + [70.0] * 15)
    after = MeanSample([70.0] * 15 + [80.0] * 15)
    result = effect_judge(measure="Satisfaction", before=before, after=after)
    assert result["test"] == "welch_t"
    assert result["statistic"] == pytest.approx(10 / (2 * (750 / 29) / 30) ** 0.5)
    assert result["df"] == pytest.approx(58.0)
    assert result["p"] < 1e-9
    assert result["verdict"] == EffectVerdict.IMPROVED


def test_a_fall_in_a_measure_where_higher_is_better_is_a_worsening():
    result = effect_judge(measure="x", before=ShareSample(45, 60), after=ShareSample(30, 60))
    assert result["verdict"] == EffectVerdict.WORSENED


def test_a_small_change_is_no_significant_change():
    # 30/60 vs 33/60: χ² = 0.3 (pooled 0.525), p = 0.584.
    result = effect_judge(measure="x", before=ShareSample(30, 60), after=ShareSample(33, 60))
    assert result["statistic"] == pytest.approx(0.3007, abs=1e-4)
    assert result["verdict"] == EffectVerdict.NO_CHANGE
    assert "did not change significantly" in result["sentence"]


def test_it_refuses_to_judge_below_the_minimum_n_in_either_window():
    result = effect_judge(
        measure="Satisfaction", before=MeanSample([60.0] * 29), after=MeanSample([90.0] * 40)
    )
    assert result["verdict"] == EffectVerdict.INSUFFICIENT
    assert result["p"] is None and result["test"] == ""
    assert result["sentence"] == (
        "Not enough data to judge Satisfaction: 29 before and 40 after, "
        "at least 30 in each window are needed."
    )
