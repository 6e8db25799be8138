"""Fuzzy comprehensive evaluation. No R package implements it, so these are hand-computed cases."""

from __future__ import annotations

import pandas as pd
import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.fuzzy import (
    fuzzy_evaluate,
    fuzzy_evaluate_hierarchy,
    membership_from_counts,
    membership_matrix,
)

GRADES = ["很满意", "满意", "一般", "不满意"]
R = pd.DataFrame(
    [[0.2, 0.5, 0.2, 0.1], [0.7, 0.2, 0.1, 0.0], [0.0, 0.4, 0.5, 0.1]],
    index=["态度", "等候", "环境"],
    columns=GRADES,
)


def test_weighted_average_operator_is_the_matrix_product() -> None:
    # b = (0.2, 0.5, 0.3)·R = (0.39, 0.32, 0.24, 0.05), worked by hand.
    result = fuzzy_evaluate({"态度": 0.2, "等候": 0.5, "环境": 0.3}, R, grade_values=[100, 80, 60, 40])
    assert result.vector.tolist() == pytest.approx([0.39, 0.32, 0.24, 0.05])
    assert result.grade == "很满意"
    assert result.score == pytest.approx(0.39 * 100 + 0.32 * 80 + 0.24 * 60 + 0.05 * 40)


def test_min_max_operator_takes_max_of_min_and_normalises() -> None:
    # b_j = max_i min(a_i, r_ij) = (0.5, 0.3, 0.3, 0.1) by hand; normalised by its sum 1.2.
    result = fuzzy_evaluate({"态度": 0.2, "等候": 0.5, "环境": 0.3}, R, operator="min_max")
    assert result.vector.tolist() == pytest.approx([0.5, 0.3, 0.3, 0.1])
    assert result.membership.tolist() == pytest.approx([0.5 / 1.2, 0.25, 0.25, 0.1 / 1.2])


def test_membership_matrix_counts_shares_and_ignores_not_applicable() -> None:
    data = pd.DataFrame({"q1": [5, 5, 4, 3, 9], "q2": [4, 4, 4, 2, None]})
    m = membership_matrix(data, ["q1", "q2"], [5, 4, 3, 2], labels=GRADES)
    assert m.loc["q1"].tolist() == pytest.approx([0.5, 0.25, 0.25, 0])  # the 9 (not applicable) is left out
    assert m.loc["q2"].tolist() == pytest.approx([0, 0.75, 0, 0.25])
    with pytest.raises(StatsInputError, match="q3"):
        membership_matrix(data, ["q3"], [5, 4])


def test_two_level_evaluation_combines_dimension_vectors() -> None:
    result = fuzzy_evaluate_hierarchy(
        R,
        {"服务": {"态度": 1.0}, "设施": {"等候": 0.5, "环境": 0.5}},
        {"服务": 0.6, "设施": 0.4},
        grade_values=[100, 80, 60, 40],
    )
    # 设施 = 0.5·(0.7, 0.2, 0.1, 0) + 0.5·(0, 0.4, 0.5, 0.1) = (0.35, 0.3, 0.3, 0.05)
    assert result.dimensions.loc["设施", GRADES].tolist() == pytest.approx([0.35, 0.3, 0.3, 0.05])
    expected = [0.6 * a + 0.4 * b for a, b in zip([0.2, 0.5, 0.2, 0.1], [0.35, 0.3, 0.3, 0.05], strict=True)]
    assert result.overall.membership.tolist() == pytest.approx(expected)
    assert result.overall.grade == "满意"


def test_it_rejects_unknown_indicators_and_bad_memberships() -> None:
    with pytest.raises(StatsInputError, match="停车"):
        fuzzy_evaluate({"停车": 1.0}, R)
    with pytest.raises(StatsInputError, match="between 0 and 1"):
        fuzzy_evaluate({"a": 1.0}, pd.DataFrame([[1.5, -0.5]], index=["a"]))
    with pytest.raises(StatsInputError, match="no answers"):
        membership_from_counts(pd.DataFrame([[0, 0]], index=["x"]))
