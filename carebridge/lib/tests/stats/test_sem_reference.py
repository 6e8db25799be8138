"""CFA/SEM against lavaan output stored beside the tests (issue #20, items 1-3).

Each case compares with ``r_reference/<case>.txt``, printed by ``r_reference/<case>.R`` (R 4.2.2,
lavaan 0.6-14; versions at the top of each file) on lavaan's own ``HolzingerSwineford1939`` and
``PoliticalDemocracy``, the same values as the shared CSV files. The numbers are read from the blocks
printed at full precision: every fit measure and every row of ``parameterEstimates(standardized =
TRUE)``, including the fixed rows (no standard error) and labels. lavaan stops nlminb at a relative
1e-10 change of the objective, we at a gradient of 1e-9: estimates agree to about 1e-6.
"""

from __future__ import annotations

import math

import pytest

from carebridge.lib.stats.sem import SEMResult, fit_sem
from carebridge.lib.tests.datasets import load
from carebridge.lib.tests.stats import r_output

HS = "holzinger_swineford_1939"
PD = "political_democracy"
STD_LV = (
    "visual =~ NA*x1 + x2 + x3; textual =~ NA*x4 + x5 + x6; speed =~ NA*x7 + x8 + x9; "
    "visual ~~ 1*visual; textual ~~ 1*textual; speed ~~ 1*speed"
)
LABELS = """
visual  =~ x1 + a*x2 + a*x3
textual =~ x4 + b*x5 + b*x6
speed   =~ x7 + start(1.2)*x8 + 1.1?x9
visual ~~ 0*speed
"""
MIMIC = "dem60 =~ y1 + y2 + y3 + y4; dem60 ~ x1 + x2"
INLINE = "visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; speed =~ x7 + x8 + x9"

FIT_KEYS = {
    "chisq": "chisq",
    "baseline_chisq": "baseline.chisq",
    "cfi": "cfi",
    "tli": "tli",
    "loglik": "logl",
    "unrestricted_loglik": "unrestricted.logl",
    "aic": "aic",
    "bic": "bic",
    "rmsea": "rmsea",
    "rmsea_ci_lower": "rmsea.ci.lower",
    "rmsea_ci_upper": "rmsea.ci.upper",
    "srmr": "srmr",
}


def assert_matches_lavaan(res: SEMResult, case: str, occurrence: int = 0) -> None:
    """Every fit measure and every parameter row of the stored lavaan output."""
    ref = r_output.fit_measures(case, occurrence)
    f = res.fit
    assert (f.npar, f.df, f.baseline_df) == (ref["npar"], ref["df"], ref["baseline.df"])
    for ours, theirs in FIT_KEYS.items():
        assert getattr(f, ours) == pytest.approx(ref[theirs], rel=1e-5), ours
    # lavaan computes p-values as 1 - pchisq(...): compare them absolutely
    assert f.pvalue == pytest.approx(ref["pvalue"], abs=1e-9)
    assert f.rmsea_pvalue == pytest.approx(ref["rmsea.pvalue"], abs=1e-6)
    rows = r_output.parameter_estimates(case, occurrence)
    ours_rows = {(e.lhs, e.op, e.rhs): e for e in res.estimates}
    assert set(ours_rows) == {(r["lhs"], r["op"], r["rhs"]) for r in rows}
    for r in rows:
        e = ours_rows[(str(r["lhs"]), str(r["op"]), str(r["rhs"]))]
        key = (e.lhs, e.op, e.rhs)
        assert e.estimate == pytest.approx(r["est"], abs=2e-5), key
        assert e.std_all == pytest.approx(r["std.all"], abs=2e-5), key
        assert e.label == r["label"], key
        if r["se"] == 0:  # fixed: lavaan prints no standard error
            assert e.se is None and e.z is None, key
        else:
            assert e.se == pytest.approx(r["se"], abs=2e-6), key
            assert e.z == pytest.approx(r["z"], rel=1e-4), key
            assert not math.isnan(float(str(r["pvalue"])))


def test_na_star_frees_the_first_loading_std_lv_form() -> None:
    # Item 1: lavaan prints "Test statistic 85.306, Degrees of freedom 24" and x1 .900 (SE .081).
    res = fit_sem(load(HS), STD_LV)
    assert round(res.fit.chisq, 3) == float(
        r_output.printed("cfa_std_lv_na_star", r"Test statistic +([\d.]+)")
    )
    assert res.fit.df == 24
    assert_matches_lavaan(res, "cfa_std_lv_na_star")
    x1 = next(e for e in res.estimates if (e.lhs, e.rhs) == ("visual", "x1"))
    assert x1.se is not None and (round(x1.estimate, 3), round(x1.se, 3)) == (0.900, 0.081)
    variances = [e for e in res.estimates if e.op == "~~" and e.lhs == e.rhs and e.lhs in res.latent]
    assert all(e.estimate == 1.0 and e.se is None for e in variances)


def test_shared_labels_fixed_covariance_and_start_values_match_lavaan() -> None:
    # Item 1: "Number of model parameters 20, Number of equality constraints 2", chi2 125.194 on 27 df.
    res = fit_sem(load(HS), LABELS)
    assert_matches_lavaan(res, "cfa_labels_equality")
    assert res.fit.npar == 18 and res.fit.df == 27
    a = [e for e in res.estimates if e.label == "a"]
    assert len(a) == 2 and a[0].estimate == a[1].estimate and a[0].se == a[1].se


def test_mimic_fixes_the_exogenous_covariances_as_lavaan() -> None:
    # Item 2: df 8, CFI .926, TLI .870, RMSEA .146, baseline 186.154 on 14, logLik -696.058,
    # AIC 1412.117, BIC 1435.292, and the fixed rows x1 ~~ x1, x1 ~~ x2, x2 ~~ x2.
    res = fit_sem(load(PD), MIMIC)
    assert_matches_lavaan(res, "sem_mimic_fixed_x")
    f = res.fit
    assert (f.df, round(f.cfi, 3), round(f.tli, 3), round(f.rmsea, 3)) == (8, 0.926, 0.870, 0.146)
    assert (round(f.baseline_chisq, 3), f.baseline_df) == (186.154, 14)
    assert (round(f.loglik, 3), round(f.aic, 3), round(f.bic, 3)) == (-696.058, 1412.117, 1435.292)
    fixed = {(e.lhs, e.rhs): e for e in res.estimates if e.op == "~~" and e.lhs.startswith("x")}
    assert set(fixed) == {("x1", "x1"), ("x1", "x2"), ("x2", "x2")}
    assert all(e.se is None for e in fixed.values())
    assert round(fixed[("x1", "x2")].estimate, 3) == 0.977


def test_formulas_separated_by_semicolons_are_the_same_model() -> None:
    # Item 3: lavaan accepts ';' between formulas and gives the tutorial's numbers.
    res = fit_sem(load(HS), INLINE)
    assert_matches_lavaan(res, "cfa_inline_semicolons")
    assert round(res.fit.chisq, 3) == 85.306


def test_an_improper_solution_warns_and_an_awkward_start_still_fits() -> None:
    # lavaan: "covariance matrix of latent variables is not positive definite" (cor.lv 1.466), and
    # with f ~~ 1.5*g "starting values imply a correlation larger than 1", then chi2 80.234 on 5 df.
    improper = fit_sem(load(HS), "f =~ x1 + x2\ng =~ x3 + x4\nf ~~ g")
    assert_matches_lavaan(improper, "sem_improper_solutions")
    assert round(improper.latent_correlations.loc["f", "g"], 3) == 1.466
    assert improper.warnings == ("The covariance matrix of the latent variables is not positive definite.",)
    awkward = fit_sem(load(HS), "f =~ x1 + x2 + x3; g =~ x4 + x5; f ~~ 1.5*g")
    assert_matches_lavaan(awkward, "sem_improper_solutions", 1)
