"""AHP, entropy and derived weights against published examples and analytic cases."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.weights import ahp, derived_importance, entropy_weights

DRINKS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
# Saaty (2008), "Decision making with the analytic hierarchy process", Int. J. Services Sciences 1(1),
# Table 2 (relative consumption of drinks in the United States): the judgement matrix (upper triangle).
DRINK_JUDGEMENTS = {
    ("coffee", "wine"): 9,
    ("coffee", "tea"): 5,
    ("coffee", "beer"): 2,
    ("coffee", "soda"): 1,
    ("coffee", "milk"): 1,
    ("coffee", "water"): 1 / 2,
    ("wine", "tea"): 1 / 3,
    ("wine", "beer"): 1 / 9,
    ("wine", "soda"): 1 / 9,
    ("wine", "milk"): 1 / 9,
    ("wine", "water"): 1 / 9,
    ("tea", "beer"): 1 / 3,
    ("tea", "soda"): 1 / 4,
    ("tea", "milk"): 1 / 3,
    ("tea", "water"): 1 / 9,
    ("beer", "soda"): 1 / 2,
    ("beer", "milk"): 1,
    ("beer", "water"): 1 / 3,
    ("soda", "milk"): 2,
    ("soda", "water"): 1 / 2,
    ("milk", "water"): 1 / 3,
}
# Same source: "The derived scale ... Coffee .177, Wine .019, Tea .042, Beer .116, Sodas .190,
# Milk .129, Water .327 ... with a consistency ratio of .022" (printed to three decimals).
SAATY_DRINK_WEIGHTS = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327]
SAATY_DRINK_CR = 0.022


def drinks_matrix() -> pd.DataFrame:
    m = pd.DataFrame(1.0, index=DRINKS, columns=DRINKS)
    for (a, b), v in DRINK_JUDGEMENTS.items():
        m.loc[a, b] = v
        m.loc[b, a] = 1 / v
    return m


def test_ahp_reproduces_saatys_drinks_example() -> None:
    result = ahp(drinks_matrix())
    assert result.weights.round(3).tolist() == SAATY_DRINK_WEIGHTS
    assert round(result.cr, 3) == SAATY_DRINK_CR
    assert result.consistent
    assert result.ri == 1.32  # Saaty's random index for n = 7


def test_a_perfectly_consistent_matrix_has_lambda_n_and_cr_zero() -> None:
    # Analytic case: a_ij = w_i / w_j gives λmax = n, CI = CR = 0 and the weights back exactly.
    w = np.array([0.5, 0.25, 0.15, 0.1])
    result = ahp(np.outer(w, 1 / w), labels=["a", "b", "c", "d"])
    assert result.lambda_max == pytest.approx(4)
    assert result.cr == pytest.approx(0, abs=1e-12)
    np.testing.assert_allclose(result.weights, w)


def test_an_inconsistent_matrix_is_returned_flagged_not_refused() -> None:
    # a > b, b > c but c ≫ a: an intransitive set of judgements.
    m = [[1, 3, 1 / 5], [1 / 3, 1, 3], [5, 1 / 3, 1]]
    result = ahp(m)
    assert not result.consistent
    assert result.cr > 0.10
    assert result.weights.sum() == pytest.approx(1)


def test_it_refuses_non_square_non_positive_or_non_reciprocal_matrices() -> None:
    with pytest.raises(StatsInputError, match="square"):
        ahp([[1, 2, 3], [0.5, 1, 2]])
    with pytest.raises(StatsInputError, match="positive"):
        ahp([[1, -2], [-0.5, 1]])
    with pytest.raises(StatsInputError, match=r"not reciprocal: \(c1, c2\) = 3 but \(c2, c1\) = 0.5"):
        ahp([[1, 3], [0.5, 1]])


def test_it_accepts_judgements_typed_with_two_decimals() -> None:
    assert ahp([[1, 3], [0.33, 1]]).weights.iloc[0] == pytest.approx(0.75, abs=0.01)


def test_entropy_weights_follow_the_definition_on_an_analytic_case() -> None:
    # With raw shares: a uniform column has entropy 1 (weight 0); a column concentrated in one row has
    # entropy 0; a column split evenly over 2 of 4 rows has entropy ln2/ln4 = 0.5. So w = (0, 2/3, 1/3).
    data = pd.DataFrame({"even": [1, 1, 1, 1], "one": [1, 0, 0, 0], "two": [1, 1, 0, 0]})
    result = entropy_weights(data, normalise="none")
    np.testing.assert_allclose(result.entropy, [1, 0, 0.5], atol=1e-12)
    np.testing.assert_allclose(result.weights, [0, 2 / 3, 1 / 3], atol=1e-12)


def test_entropy_weights_reverse_cost_criteria_and_sum_to_one() -> None:
    data = pd.DataFrame({"score": [90, 80, 70, 60], "wait": [10, 20, 30, 60]})
    result = entropy_weights(data, cost=["wait"])
    assert result.weights.sum() == pytest.approx(1)
    with pytest.raises(StatsInputError, match="lag"):
        entropy_weights(data, cost=["lag"])


def test_entropy_weights_reject_non_numeric_and_constant_columns() -> None:
    with pytest.raises(StatsInputError, match="dept"):
        entropy_weights(pd.DataFrame({"dept": ["a", "b"], "x": [1, 2]}))
    with pytest.raises(StatsInputError, match="flat"):
        entropy_weights(pd.DataFrame({"flat": [3, 3, 3], "x": [1, 2, 3]}))


def test_derived_importance_normalises_positive_correlations() -> None:
    rng = np.random.default_rng(1)
    a, b, noise = rng.normal(size=(3, 500))
    data = pd.DataFrame({"a": a, "b": b, "c": -a, "overall": a + b + 0.1 * noise})
    result = derived_importance(data, ["a", "b", "c"], "overall")
    assert result.weights["c"] == 0  # negatively related items get no weight
    assert result.weights.sum() == pytest.approx(1)
    r = result.correlation
    assert result.weights["a"] == pytest.approx(r["a"] / (r["a"] + r["b"]))
    with pytest.raises(StatsInputError, match="overall"):
        derived_importance(data, ["a", "overall"], "overall")
