"""KMO, Bartlett, EFA and parallel analysis against R psych on the bfi data.

References (R output printed in public documents; only the numbers are used):
* [KOPTUR] mrtkp9993/Statistical-Modeling-Examples, notebooks/Factor_Analysis.md:
  ``KMO(bfi)`` on the 25 items and ``fa.parallel(bfi)`` ("number of factors = 6 and the number of
  components = 6").
* [PSYCHDOC] psych reference page for cortest.bartlett,
  https://personality-project.github.io/psych/reference/cortest.bartlett.html:
  ``cortest.bartlett(bfi[1:200,1:10])`` -> chisq 457.457, p 1.136106e-69, df 45.
* [SULIK] public R Markdown "Factor Analyses" by Justin Sulik (2017-09-22):
  ``fa(bfi[1:25], nfactors=5)`` (minres, oblimin) full printout.
* [RINHI] public R Markdown "第4回 補足資料" by Higashiguchi Rinhi (2024-10-31): bfi items with
  A1, C4, C5, E1, E2, O2, O5 reversed as 7 - x, ``fa(df, nfactors=5, fm="ml", rotate="quartimin")``.
Varimax and promax have no published R output on these data; they are tested by properties.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.factor import (
    bartlett_sphericity,
    efa,
    kmo,
    oblimin,
    parallel_analysis,
    promax,
    varimax,
)
from carebridge.lib.tests.datasets import load

ITEMS = [f"{t}{i}" for t in "ACENO" for i in range(1, 6)]
REVERSED = ["A1", "C4", "C5", "E1", "E2", "O2", "O5"]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return load("psych_bfi")


def _match_columns(ours: pd.DataFrame, ref: np.ndarray) -> np.ndarray:
    """Our loadings with columns permuted and reflected to line up with R's printed columns."""
    best, best_err = None, np.inf
    for perm in itertools.permutations(range(ref.shape[1])):
        cand = ours.to_numpy()[:, perm]
        signs = np.sign((cand * ref).sum(axis=0))
        cand = cand * signs
        err = np.abs(cand - ref).max()
        if err < best_err:
            best, best_err = cand, err
    assert best is not None
    return best


def test_kmo_matches_psych(bfi: pd.DataFrame) -> None:
    # [KOPTUR] Overall MSA = 0.85; MSA for each item (A1 ... O5)
    expected = [
        0.74,
        0.84,
        0.87,
        0.87,
        0.90,
        0.83,
        0.79,
        0.85,
        0.82,
        0.86,
        0.83,
        0.88,
        0.89,
        0.87,
        0.89,
        0.78,
        0.78,
        0.86,
        0.88,
        0.86,
        0.85,
        0.78,
        0.84,
        0.76,
        0.76,
    ]
    res = kmo(bfi, ITEMS)
    assert round(res.overall, 2) == 0.85
    assert [round(res.per_item[i], 2) for i in ITEMS] == expected


def test_bartlett_matches_psych_example(bfi: pd.DataFrame) -> None:
    # [PSYCHDOC] cortest.bartlett(bfi[1:200,1:10]): chisq 457.457, p.value 1.136106e-69, df 45
    res = bartlett_sphericity(bfi.iloc[:200], ITEMS[:10])
    assert round(res.chi2, 3) == 457.457
    assert res.df == 45
    assert res.p_value == pytest.approx(1.136106e-69, rel=1e-6)


def test_bartlett_on_all_items_equals_fa_null_model_chi2(bfi: pd.DataFrame) -> None:
    # [SULIK] "null model are 300 and the objective function was 7.23 with Chi Square of 20163.79"
    res = bartlett_sphericity(bfi, ITEMS)
    assert round(res.chi2, 2) == 20163.79
    assert res.df == 300


def test_minres_oblimin_matches_psych_fa(bfi: pd.DataFrame) -> None:
    # [SULIK] loadings MR2 MR1 MR3 MR5 MR4 and h2, A1 ... O5
    ref = np.array(
        [
            [0.21, 0.17, 0.07, -0.41, -0.06],
            [-0.02, 0.00, 0.08, 0.64, 0.03],
            [-0.03, 0.12, 0.02, 0.66, 0.03],
            [-0.06, 0.06, 0.19, 0.43, -0.15],
            [-0.11, 0.23, 0.01, 0.53, 0.04],
            [0.07, -0.03, 0.55, -0.02, 0.15],
            [0.15, -0.09, 0.67, 0.08, 0.04],
            [0.03, -0.06, 0.57, 0.09, -0.07],
            [0.17, 0.00, -0.61, 0.04, -0.05],
            [0.19, -0.14, -0.55, 0.02, 0.09],
            [-0.06, -0.56, 0.11, -0.08, -0.10],
            [0.10, -0.68, -0.02, -0.05, -0.06],
            [0.08, 0.42, 0.00, 0.25, 0.28],
            [0.01, 0.59, 0.02, 0.29, -0.08],
            [0.15, 0.42, 0.27, 0.05, 0.21],
            [0.81, 0.10, 0.00, -0.11, -0.05],
            [0.78, 0.04, 0.01, -0.09, 0.01],
            [0.71, -0.10, -0.04, 0.08, 0.02],
            [0.47, -0.39, -0.14, 0.09, 0.08],
            [0.49, -0.20, 0.00, 0.21, -0.15],
            [0.02, 0.10, 0.07, 0.02, 0.51],
            [0.19, 0.06, -0.08, 0.16, -0.46],
            [0.03, 0.15, 0.02, 0.08, 0.61],
            [0.13, -0.32, -0.02, 0.17, 0.37],
            [0.13, 0.10, -0.03, 0.04, -0.54],
        ]
    )
    h2 = [
        0.19,
        0.45,
        0.52,
        0.28,
        0.46,
        0.33,
        0.45,
        0.32,
        0.45,
        0.43,
        0.35,
        0.54,
        0.44,
        0.53,
        0.40,
        0.65,
        0.60,
        0.55,
        0.49,
        0.35,
        0.31,
        0.26,
        0.46,
        0.25,
        0.30,
    ]
    res = efa(bfi, ITEMS, 5, method="minres", rotation="oblimin")
    ours = _match_columns(res.loadings, ref)
    assert np.abs(ours - ref).max() < 0.005 + 1e-9
    assert [round(res.communalities[i], 2) for i in ITEMS] == h2
    # "objective function was 0.65", "Likelihood Chi Square = 1808.94", TLI 0.867, RMSEA 0.056, RMSR 0.03
    assert round(res.objective, 2) == 0.65
    assert round(res.chi2, 2) == 1808.94
    assert res.dof == 185
    assert round(res.tli, 3) == 0.867
    assert round(res.rmsea, 3) == 0.056
    assert round(res.rmsr, 2) == 0.03
    # factor correlations: MR2-MR1 -0.21, MR1-MR5 0.33 (absolute values; column order is psych's)
    phi = np.abs(res.factor_correlations.to_numpy())
    assert sorted(np.round(phi[np.triu_indices(5, 1)], 2)) == sorted(
        [0.21, 0.19, 0.04, 0.01, 0.23, 0.33, 0.17, 0.20, 0.19, 0.19]
    )


def test_ml_quartimin_matches_psych_fa(bfi: pd.DataFrame) -> None:
    # [RINHI] fm="ml", rotate="quartimin": h2 column, chi2 1749.88, objective 0.63, TLI 0.872,
    # RMSEA 0.055, and the loadings of the N and O items (ML2 ML5 ML1 ML3 ML4)
    data = bfi.copy()
    data[REVERSED] = 7 - data[REVERSED]
    res = efa(data, ITEMS, 5, method="ml", rotation="oblimin")
    h2 = [
        0.15,
        0.40,
        0.51,
        0.29,
        0.48,
        0.32,
        0.43,
        0.32,
        0.47,
        0.43,
        0.37,
        0.55,
        0.44,
        0.52,
        0.40,
        0.71,
        0.66,
        0.53,
        0.48,
        0.34,
        0.32,
        0.24,
        0.47,
        0.26,
        0.27,
    ]
    assert [round(res.communalities[i], 2) for i in ITEMS] == h2
    assert round(res.chi2, 2) == 1749.88
    assert round(res.objective, 2) == 0.63
    assert round(res.tli, 3) == 0.872
    assert round(res.rmsea, 3) == 0.055
    ref = np.array(
        [
            [-0.20, 0.36, -0.14, -0.04, 0.04],
            [-0.02, 0.60, -0.01, 0.09, 0.03],
            [-0.03, 0.67, 0.07, 0.03, 0.04],
            [-0.06, 0.46, 0.04, 0.20, -0.15],
            [-0.14, 0.58, 0.17, 0.00, 0.06],
            [0.06, 0.00, -0.05, 0.53, 0.16],
            [0.13, 0.11, -0.13, 0.64, 0.06],
            [0.04, 0.11, -0.08, 0.56, -0.06],
            [-0.12, -0.06, 0.04, 0.64, 0.03],
            [-0.14, -0.01, 0.16, 0.57, -0.10],
            [0.09, 0.10, 0.56, -0.10, 0.11],
            [-0.06, 0.09, 0.67, 0.03, 0.07],
            [0.06, 0.30, 0.34, -0.02, 0.31],
            [0.00, 0.36, 0.53, 0.01, -0.05],
            [0.18, 0.08, 0.39, 0.27, 0.22],
            [0.85, -0.09, 0.09, 0.01, -0.05],
            [0.82, -0.08, 0.04, 0.02, 0.01],
            [0.67, 0.10, -0.14, -0.06, 0.03],
            [0.41, 0.09, -0.42, -0.16, 0.08],
            [0.44, 0.22, -0.25, -0.02, -0.14],
            [-0.01, 0.02, 0.06, 0.06, 0.53],
            [-0.16, -0.21, -0.03, 0.10, 0.44],
            [0.01, 0.09, 0.10, 0.00, 0.63],
            [0.08, 0.14, -0.36, -0.04, 0.38],
            [-0.11, -0.10, -0.07, 0.05, 0.52],
        ]
    )
    ours = _match_columns(res.loadings, ref)
    assert np.abs(ours - ref).max() < 0.005 + 1e-9


def test_parallel_analysis_retains_six_like_psych(bfi: pd.DataFrame) -> None:
    # [KOPTUR] "Parallel analysis suggests that the number of factors = 6 and the number of components = 6"
    res = parallel_analysis(bfi, ITEMS, n_iter=20, seed=7)
    assert (res.n_factors, res.n_components) == (6, 6)
    again = parallel_analysis(bfi, ITEMS, n_iter=20, seed=7)
    assert again.simulated_pc == res.simulated_pc  # seeded: reproducible


# Rotations without a published R reference on these data: properties that a wrong rotation breaks.


@pytest.fixture(scope="module")
def unrotated(bfi: pd.DataFrame) -> np.ndarray:
    return efa(bfi, ITEMS, 5, method="minres", rotation="none").loadings.to_numpy()


def _varimax_criterion(lam: np.ndarray) -> float:
    h = np.sqrt((lam**2).sum(axis=1, keepdims=True))
    x = lam / h
    return float(((x**4).sum(axis=0) - (x**2).sum(axis=0) ** 2 / x.shape[0]).sum())


def test_varimax_is_orthogonal_keeps_communalities_and_raises_criterion(unrotated: np.ndarray) -> None:
    rotated, t = varimax(unrotated)
    assert np.allclose(t.T @ t, np.eye(5), atol=1e-10)
    assert np.allclose((rotated**2).sum(axis=1), (unrotated**2).sum(axis=1))
    assert _varimax_criterion(rotated) > _varimax_criterion(unrotated)
    for _ in range(3):  # no nearby orthogonal rotation does better
        q, _ = np.linalg.qr(np.eye(5) + 0.01 * np.random.default_rng(0).normal(size=(5, 5)))
        assert _varimax_criterion(rotated @ q) <= _varimax_criterion(rotated) + 1e-9


def test_promax_and_oblimin_reproduce_the_common_part(unrotated: np.ndarray) -> None:
    for pattern, phi in (promax(unrotated)[0::2], oblimin(unrotated)):
        assert np.allclose(np.diag(phi), 1.0)
        assert np.allclose(pattern @ phi @ pattern.T, unrotated @ unrotated.T, atol=1e-8)


def test_efa_input_errors(bfi: pd.DataFrame) -> None:
    with pytest.raises(StatsInputError, match="Z1"):
        efa(bfi, ["A1", "A2", "Z1"], 1)
    with pytest.raises(StatsInputError, match="not identified"):
        efa(bfi, ITEMS[:5], 4)
    text = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 1, 4, 3], "c": ["x", "y", "z", "w"]})
    with pytest.raises(StatsInputError, match="'c'"):
        kmo(text)
    with pytest.raises(StatsInputError, match="rows"):
        bartlett_sphericity(bfi.iloc[:3], ITEMS[:5])
