"""The complete-data fast path of the pairwise covariance and correlation (added for the 1M-row panel
benchmark) gives pandas' pairwise results, and incomplete data still take the pairwise route."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats._frame import pairwise_cor, pairwise_cov
from carebridge.lib.stats.errors import StatsInputError


@pytest.fixture
def answers() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    latent = rng.standard_normal((500, 1))
    return pd.DataFrame(np.rint(3 + latent + rng.standard_normal((500, 6))), columns=list("abcdef"))


def test_complete_data_give_the_pairwise_matrices_of_pandas(answers):
    np.testing.assert_allclose(pairwise_cov(answers), answers.cov(min_periods=2).to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(pairwise_cor(answers), answers.corr(min_periods=2).to_numpy(), rtol=1e-12)


def test_incomplete_data_still_use_every_pair_of_answers(answers):
    holed = answers.copy()
    holed.iloc[::7, 2] = np.nan
    holed.iloc[::11, 4] = np.nan
    expected = holed.cov(min_periods=2).to_numpy()
    np.testing.assert_allclose(pairwise_cov(holed), expected, rtol=1e-12)
    # Listwise deletion would differ: the fast path must not have been taken.
    assert not np.allclose(pairwise_cov(holed), holed.dropna().cov().to_numpy())
    np.testing.assert_allclose(pairwise_cor(holed), holed.corr(min_periods=2).to_numpy(), rtol=1e-12)


def test_a_pair_never_answered_together_is_still_refused():
    frame = pd.DataFrame(
        {"a": [1.0, 2.0, np.nan, np.nan], "b": [np.nan, np.nan, 1.0, 2.0], "c": [1.0, 2.0, 3.0, 4.0]}
    )
    with pytest.raises(StatsInputError):
        pairwise_cov(frame)


def test_parallel_analysis_from_the_wishart_agrees_with_the_simulated_answers():
    """The Wishart draw replaces n × p simulated answers by their correlation matrix's distribution:
    same retained factors and the same mean simulated eigenvalues, within simulation error."""
    from carebridge.lib.stats.factor import parallel_analysis, parallel_analysis_wishart

    rng = np.random.default_rng(5)
    factors = rng.standard_normal((400, 2))
    loadings = np.kron(np.eye(2), np.full((1, 4), 0.7)).T  # 8 items, 2 factors
    data = pd.DataFrame(factors @ loadings.T + rng.standard_normal((400, 8)) * 0.7, columns=list("abcdefgh"))
    raw = parallel_analysis(data, n_iter=100, seed=1)
    fast = parallel_analysis_wishart(data, n_iter=100, seed=2)
    assert fast.n_factors == raw.n_factors == 2 and fast.n_components == raw.n_components == 2
    assert fast.observed_fa == raw.observed_fa
    np.testing.assert_allclose(fast.simulated_pc, raw.simulated_pc, atol=0.03)
    np.testing.assert_allclose(fast.simulated_fa, raw.simulated_fa, atol=0.03)
