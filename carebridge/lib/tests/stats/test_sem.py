"""CFA/SEM against lavaan 0.6 on HolzingerSwineford1939 and PoliticalDemocracy.

References (R output; only the numbers are used):
* [LAV-CFA] lavaan tutorial, https://lavaan.ugent.be/tutorial/cfa.html, and the same
  ``summary(fit, fit.measures=TRUE, standardized=TRUE)`` printed by lavaan 0.6-19 in a public
  Carpentries-style R Markdown lesson (fit of the 3-factor HS model).
* [LAV-SEM] lavaan tutorial, https://lavaan.ugent.be/tutorial/sem.html (chi2 38.125, df 35), and
  ``summary(fit, standardized=TRUE)`` of that model printed by lavaan 0.6-2 in the public R Markdown
  "Gently Introduction to Structural Equation Modeling with Lavaan".
Composite reliability, AVE, Fornell-Larcker and HTMT have no R output on these data that we could
find; they are tested against their defining formulas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.sem import ParameterEstimate, SEMResult, fit_cfa, fit_sem, htmt
from carebridge.lib.tests.datasets import load

HS_MODEL = """
visual  =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed   =~ x7 + x8 + x9
"""
PD_MODEL = """
  # measurement model
    ind60 =~ x1 + x2 + x3
    dem60 =~ y1 + y2 + y3 + y4
    dem65 =~ y5 + y6 + y7 + y8
  # regressions
    dem60 ~ ind60
    dem65 ~ ind60 + dem60
  # residual correlations
    y1 ~~ y5
    y2 ~~ y4 + y6
    y3 ~~ y7
    y4 ~~ y8
    y6 ~~ y8
"""


@pytest.fixture(scope="module")
def hs() -> SEMResult:
    return fit_cfa(load("holzinger_swineford_1939"), HS_MODEL)


@pytest.fixture(scope="module")
def pd_fit() -> SEMResult:
    return fit_sem(load("political_democracy"), PD_MODEL)


def _row(res: SEMResult, lhs: str, op: str, rhs: str) -> ParameterEstimate:
    for e in res.estimates:
        if e.op == op and ((e.lhs, e.rhs) == (lhs, rhs) or (op == "~~" and (e.rhs, e.lhs) == (lhs, rhs))):
            return e
    raise AssertionError(f"no row {lhs} {op} {rhs}")


def _check(res: SEMResult, rows: list[tuple[str, str, str, float, float | None, float]]) -> None:
    for lhs, op, rhs, est, se, std_all in rows:
        e = _row(res, lhs, op, rhs)
        assert round(e.estimate, 3) == est, (lhs, op, rhs)
        assert (e.se is None) if se is None else (e.se is not None and round(e.se, 3) == se), (lhs, op, rhs)
        assert round(e.std_all, 3) == std_all, (lhs, op, rhs)


def test_hs_fit_measures_match_lavaan(hs: SEMResult) -> None:
    # [LAV-CFA] Test statistic 85.306, df 24; baseline 918.852 on 36; CFI 0.931; TLI 0.896;
    # loglik -3737.745 / -3695.092; AIC 7517.490; BIC 7595.339; RMSEA 0.092 (0.071, 0.114);
    # P(RMSEA <= .05) 0.001; P(RMSEA >= .08) 0.840; SRMR 0.065; 21 parameters
    f = hs.fit
    assert round(f.chisq, 3) == 85.306 and f.df == 24 and f.npar == 21 and f.n_obs == 301
    assert round(f.pvalue, 3) == 0.000
    assert round(f.baseline_chisq, 3) == 918.852 and f.baseline_df == 36
    assert round(f.cfi, 3) == 0.931
    assert round(f.tli, 3) == 0.896
    assert round(f.loglik, 3) == -3737.745
    assert round(f.unrestricted_loglik, 3) == -3695.092
    assert round(f.aic, 3) == 7517.490
    assert round(f.bic, 3) == 7595.339
    assert round(f.rmsea, 3) == 0.092
    assert round(f.rmsea_ci_lower, 3) == 0.071
    assert round(f.rmsea_ci_upper, 3) == 0.114
    assert round(f.rmsea_pvalue, 3) == 0.001
    assert round(f.rmsea_notclose_pvalue, 3) == 0.840
    assert round(f.srmr, 3) == 0.065


def test_hs_parameters_match_lavaan(hs: SEMResult) -> None:
    # [LAV-CFA] Estimate, Std.Err, Std.all
    _check(
        hs,
        [
            ("visual", "=~", "x1", 1.000, None, 0.772),
            ("visual", "=~", "x2", 0.554, 0.100, 0.424),
            ("visual", "=~", "x3", 0.729, 0.109, 0.581),
            ("textual", "=~", "x4", 1.000, None, 0.852),
            ("textual", "=~", "x5", 1.113, 0.065, 0.855),
            ("textual", "=~", "x6", 0.926, 0.055, 0.838),
            ("speed", "=~", "x7", 1.000, None, 0.570),
            ("speed", "=~", "x8", 1.180, 0.165, 0.723),
            ("speed", "=~", "x9", 1.082, 0.151, 0.665),
            ("visual", "~~", "textual", 0.408, 0.074, 0.459),
            ("visual", "~~", "speed", 0.262, 0.056, 0.471),
            ("textual", "~~", "speed", 0.173, 0.049, 0.283),
            ("x1", "~~", "x1", 0.549, 0.114, 0.404),
            ("x2", "~~", "x2", 1.134, 0.102, 0.821),
            ("x3", "~~", "x3", 0.844, 0.091, 0.662),
            ("x4", "~~", "x4", 0.371, 0.048, 0.275),
            ("x5", "~~", "x5", 0.446, 0.058, 0.269),
            ("x6", "~~", "x6", 0.356, 0.043, 0.298),
            ("x7", "~~", "x7", 0.799, 0.081, 0.676),
            ("x8", "~~", "x8", 0.488, 0.074, 0.477),
            ("x9", "~~", "x9", 0.566, 0.071, 0.558),
            ("visual", "~~", "visual", 0.809, 0.145, 1.000),
            ("textual", "~~", "textual", 0.979, 0.112, 1.000),
            ("speed", "~~", "speed", 0.384, 0.086, 1.000),
        ],
    )
    # z-values: x2 5.554, x5 17.014, x9 7.155
    assert round(_row(hs, "visual", "=~", "x2").z or 0, 3) == 5.554
    assert round(_row(hs, "textual", "=~", "x5").z or 0, 3) == 17.014
    assert round(_row(hs, "speed", "=~", "x9").z or 0, 3) == 7.155


def test_political_democracy_matches_lavaan(pd_fit: SEMResult) -> None:
    # [LAV-SEM] Test statistic 38.125, df 35, P-value 0.329, 31 free parameters
    assert round(pd_fit.fit.chisq, 3) == 38.125
    assert pd_fit.fit.df == 35 and pd_fit.fit.npar == 31
    assert round(pd_fit.fit.pvalue, 3) == 0.329
    _check(
        pd_fit,
        [
            ("ind60", "=~", "x2", 2.180, 0.139, 0.973),
            ("ind60", "=~", "x3", 1.819, 0.152, 0.872),
            ("dem60", "=~", "y1", 1.000, None, 0.850),
            ("dem60", "=~", "y2", 1.257, 0.182, 0.717),
            ("dem60", "=~", "y4", 1.265, 0.145, 0.846),
            ("dem65", "=~", "y8", 1.266, 0.158, 0.828),
            ("dem60", "~", "ind60", 1.483, 0.399, 0.447),
            ("dem65", "~", "ind60", 0.572, 0.221, 0.182),
            ("dem65", "~", "dem60", 0.837, 0.098, 0.885),
            ("y1", "~~", "y5", 0.624, 0.358, 0.296),
            ("y2", "~~", "y4", 1.313, 0.702, 0.273),
            ("y2", "~~", "y6", 2.153, 0.734, 0.356),
            ("y3", "~~", "y7", 0.795, 0.608, 0.191),
            ("y4", "~~", "y8", 0.348, 0.442, 0.109),
            ("y6", "~~", "y8", 1.356, 0.568, 0.338),
            ("x1", "~~", "x1", 0.082, 0.019, 0.154),
            ("y2", "~~", "y2", 7.373, 1.374, 0.486),
            ("ind60", "~~", "ind60", 0.448, 0.087, 1.000),
            ("dem60", "~~", "dem60", 3.956, 0.921, 0.800),
            ("dem65", "~~", "dem65", 0.172, 0.215, 0.039),
        ],
    )


# No published R values: CR/AVE/Fornell-Larcker/HTMT checked against their definitions.


def test_construct_validity_follows_fornell_larcker(hs: SEMResult) -> None:
    for c in hs.constructs:
        lam = np.array([_row(hs, c.construct, "=~", i).std_all for i in c.indicators])
        assert c.ave == pytest.approx(np.mean(lam**2))
        assert c.composite_reliability == pytest.approx(
            lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
        )
        assert hs.fornell_larcker.loc[c.construct, c.construct] == pytest.approx(np.sqrt(c.ave))
    assert hs.fornell_larcker.loc["visual", "textual"] == pytest.approx(
        _row(hs, "visual", "~~", "textual").std_all
    )


def test_htmt_on_a_hand_computed_matrix() -> None:
    # Two blocks of two items: within-block r .6 and .4, between-block r all .3 ->
    # HTMT = .3 / sqrt(.6 * .4) = 0.61237...
    r = np.array([[1, 0.6, 0.3, 0.3], [0.6, 1, 0.3, 0.3], [0.3, 0.3, 1, 0.4], [0.3, 0.3, 0.4, 1]])
    x = np.random.default_rng(3).multivariate_normal(np.zeros(4), r, size=200)
    x = (x - x.mean(0)) @ np.linalg.inv(np.linalg.cholesky(np.cov(x, rowvar=False, bias=False))).T
    x = x @ np.linalg.cholesky(r).T  # sample correlation now equals r exactly
    df = pd.DataFrame(x, columns=["a1", "a2", "b1", "b2"])
    out = htmt(df, {"A": ["a1", "a2"], "B": ["b1", "b2"]})
    assert out.loc["A", "B"] == pytest.approx(0.3 / np.sqrt(0.6 * 0.4))


def test_sem_input_errors() -> None:
    data = load("holzinger_swineford_1939")
    with pytest.raises(StatsInputError, match="x99"):
        fit_cfa(data, "visual =~ x1 + x2 + x99")
    with pytest.raises(StatsInputError, match="'school'"):
        fit_cfa(data, "f =~ x1 + x2 + school")
    with pytest.raises(StatsInputError, match="not identified"):
        fit_cfa(data, "f =~ x1 + x2")  # 4 free parameters for 3 moments
    with pytest.raises(StatsInputError, match="rows"):
        fit_cfa(data.head(5), HS_MODEL)
    with pytest.raises(StatsInputError, match="Unsupported"):
        fit_cfa(data, "visual =~ x1 + x2 + x3\nx1 | t1")


def test_a_singular_start_still_reaches_lavaans_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every path starts at 0, where a factor with two indicators is locally unidentified and the
    information matrix can be exactly singular (whether LAPACK says so depends on the CPU's kernels).
    The estimator must step on from there, not report the model unidentified."""
    from carebridge.lib.stats import sem_ml

    real_solve = np.linalg.solve
    calls = {"n": 0}

    def singular_at_start(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        calls["n"] += 1
        if calls["n"] == 1:
            raise np.linalg.LinAlgError("Singular matrix")
        return real_solve(a, b)

    monkeypatch.setattr(sem_ml.np.linalg, "solve", singular_at_start)
    fit = fit_sem(load("political_democracy"), PD_MODEL)
    assert calls["n"] > 1
    assert round(fit.fit.chisq, 3) == 38.125  # [LAV-SEM]
    assert round(_row(fit, "dem65", "~", "dem60").estimate, 3) == 0.837  # [LAV-SEM]
