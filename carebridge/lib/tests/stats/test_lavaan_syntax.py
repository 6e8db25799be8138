"""The lavaan syntax we read (issue #20, items 1 and 3): each supported modifier and construct with
the parameter table lavaan builds from it, and each refused construct with its message.

What lavaan 0.6 does with each construct was checked with ``lavaanify(model, auto = TRUE,
fixed.x = TRUE)`` (lavaan 0.6-14); the fits of the modifiers against R are in test_sem_reference.py.
"""

from __future__ import annotations

import pytest

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.lavaan_syntax import LavaanModel, Parameter, build_model
from carebridge.lib.stats.sem import fit_sem
from carebridge.lib.tests.datasets import load


def _p(model: LavaanModel, lhs: str, op: str, rhs: str) -> Parameter:
    return next(p for p in model.parameters if (p.lhs, p.op, p.rhs) == (lhs, op, rhs))


# ---------------------------------------------------------------------------------------------
# Supported: (syntax, the parameter it concerns, free?, value, label)

SUPPORTED = [
    # NA* frees a parameter (the first loading, fixed to 1 by default)
    ("NA* frees", "f =~ NA*x1 + x2 + x3", ("f", "=~", "x1"), True, None, ""),
    ("default marker", "f =~ x1 + x2 + x3", ("f", "=~", "x1"), False, 1.0, ""),
    # a number fixes it
    ("number fixes", "f =~ x1 + 0.5*x2 + x3", ("f", "=~", "x2"), False, 0.5, ""),
    ("negative number", "f =~ x1 + -1*x2 + x3", ("f", "=~", "x2"), False, -1.0, ""),
    ("scientific number", "f =~ x1 + 1e-1*x2 + x3", ("f", "=~", "x2"), False, 0.1, ""),
    ("fixed variance", "f =~ NA*x1 + x2 + x3\nf ~~ 1*f", ("f", "~~", "f"), False, 1.0, ""),
    ("fixed covariance", "f =~ x1 + x2 + x3\ng =~ x4 + x5 + x6\nf ~~ 0*g", ("f", "~~", "g"), False, 0.0, ""),
    ("fixed regression", "f =~ x1 + x2 + x3\ng =~ x4 + x5 + x6\ng ~ 0.3*f", ("g", "~", "f"), False, 0.3, ""),
    # a name, a quoted string, label() and equal() label it
    ("label", "f =~ x1 + a*x2 + x3", ("f", "=~", "x2"), True, None, "a"),
    ("quoted label", 'f =~ x1 + "a"*x2 + x3', ("f", "=~", "x2"), True, None, "a"),
    ("label()", 'f =~ x1 + label("b")*x2 + x3', ("f", "=~", "x2"), True, None, "b"),
    ("equal()", 'f =~ x1 + x2 + equal("f=~x2")*x3', ("f", "=~", "x3"), True, None, "f=~x2"),
    # start() and the ? shorthand give a start value and leave the parameter free
    ("start()", "f =~ x1 + start(0.8)*x2 + x3", ("f", "=~", "x2"), True, 0.8, ""),
    ("? shorthand", "f =~ x1 + 0.8?x2 + x3", ("f", "=~", "x2"), True, 0.8, ""),
    ("start() of a marker keeps it fixed", "f =~ start(2)*x1 + x2 + x3", ("f", "=~", "x1"), False, 2.0, ""),
    # the same variable twice in one formula merges the modifiers
    ("merged modifiers", "f =~ NA*x1 + start(1.5)*x1 + x2 + x3", ("f", "=~", "x1"), True, 1.5, ""),
    ("merged label and start", "f =~ x1 + a*x2 + start(2)*x2 + x3", ("f", "=~", "x2"), True, 2.0, "a"),
    # formulas separated by ';', spread over lines, with comments
    ("semicolons", "f =~ x1 + x2 + x3; g =~ x4 + x5 + x6", ("g", "=~", "x5"), True, None, ""),
    (
        "continuation line",
        "f =~ x1 + x2 +\n      x3  # comment\n! another",
        ("f", "=~", "x3"),
        True,
        None,
        "",
    ),
    ("blanks", "f=~x1+ NA * x2 +x3", ("f", "=~", "x2"), True, None, ""),
    # several left-hand sides
    ("two lhs", "f + g =~ x1 + x2 + x3", ("g", "=~", "x2"), True, None, ""),
    # a covariance written backwards is lavaan's (lav_partable_covariance_reorder) and replaces the default
    (
        "reversed covariance",
        "f =~ x1 + x2 + x3\ng =~ x4 + x5 + x6\ng ~~ 0*f",
        ("f", "~~", "g"),
        False,
        0.0,
        "",
    ),
    # fixed.x: observed predictors' variances and covariances fixed to the sample values
    ("fixed.x", "f =~ y1 + y2 + y3\nf ~ x1 + x2", ("x1", "~~", "x2"), False, None, ""),
    # a single indicator: its residual variance is fixed to 0 (auto.fix.single)
    ("single indicator", "f =~ x1\nf ~ x2 + x3", ("x1", "~~", "x1"), False, 0.0, ""),
]


@pytest.mark.parametrize("case", SUPPORTED, ids=[c[0] for c in SUPPORTED])
def test_supported_modifiers(case: tuple[str, str, tuple[str, str, str], bool, float | None, str]) -> None:
    name, syntax, key, free, value, label = case
    prm = _p(build_model(syntax), *key)
    assert bool(prm.free) is free, name
    assert prm.value == value, name
    assert prm.label == label, name


def test_shared_labels_are_one_free_parameter() -> None:
    model = build_model("f =~ x1 + a*x2 + a*x3 + x4")
    assert _p(model, "f", "=~", "x2").free == _p(model, "f", "=~", "x3").free > 0
    assert model.n_equality == 1 and model.npar == 7  # 3 free loadings - 1, 4 residuals, 1 variance
    equal = build_model('f =~ x1 + x2 + equal("f=~x2")*x3')
    assert _p(equal, "f", "=~", "x2").free == _p(equal, "f", "=~", "x3").free


def test_a_label_shared_with_a_fixed_parameter_fixes_them_all() -> None:
    # lavaanify: x1 is the marker (fixed to 1) and labelled a, so x2 is fixed to 1 as well.
    model = build_model("f =~ a*x1 + a*x2 + x3")
    assert not _p(model, "f", "=~", "x2").free and _p(model, "f", "=~", "x2").value == 1.0
    assert model.n_equality == 0


def test_default_parameters_of_cfa_and_sem() -> None:
    model = build_model("ind =~ x1 + x2 + x3\ndem =~ y1 + y2\ndem ~ ind\nz ~ dem + w\nq ~ dem")
    names = [(p.lhs, p.op, p.rhs) for p in model.parameters if not p.user]
    # residual variances of every observed variable but the fixed.x predictor w, latent variances,
    # the covariance of the two purely dependent variables z and q (auto.cov.y), then w ~~ w fixed
    assert names == [
        ("x1", "~~", "x1"), ("x2", "~~", "x2"), ("x3", "~~", "x3"), ("y1", "~~", "y1"),
        ("y2", "~~", "y2"), ("z", "~~", "z"), ("q", "~~", "q"), ("ind", "~~", "ind"),
        ("dem", "~~", "dem"), ("z", "~~", "q"), ("w", "~~", "w"),
    ]  # fmt: skip
    assert model.fixed_x == ("w",) and _p(model, "w", "~~", "w").exo
    assert model.observed == ("x1", "x2", "x3", "y1", "y2", "z", "q", "w")


def test_a_predictor_given_a_covariance_is_random_with_a_warning() -> None:
    model = build_model("y ~ x1 + x2\nx1 ~~ x2")
    assert model.fixed_x == () and _p(model, "x1", "~~", "x1").free
    assert "x1, x2" in model.warnings[0] and "random" in model.warnings[0]


# ---------------------------------------------------------------------------------------------
# Refused, with the message (the term is named)

BASE = "f =~ x1 + x2 + x3\n"
REFUSED = [
    ("intercept", BASE + "x1 ~ 1", "intercepts and means ('~ 1') are not supported"),
    ("threshold", BASE + "x1 | t1", "thresholds ('|')"),
    ("formative", "f <~ x1 + x2", "formative (composite) latent variables ('<~')"),
    ("scaling factor", BASE + "x1 ~*~ x1", "scaling factors ('~*~')"),
    ("equality constraint", "f =~ x1 + a*x2 + b*x3\na == b", "'a==b': explicit equality constraints ('==')"),
    ("inequality", "f =~ x1 + a*x2 + x3\na > 0", "'a>0': inequality constraints ('>')"),
    ("inequality <", "f =~ x1 + a*x2 + x3\na < 2", "'a<2': inequality constraints ('<')"),
    ("defined parameter", "f =~ x1 + a*x2 + b*x3\nab := a*b", "'ab:=a*b': defined parameters (':=')"),
    ("block", "group: 1\n" + BASE, "blocks ('group:', 'level:')"),
    ("interaction", "y ~ x1 + x1:x2", "interaction terms ('x1:x2')"),
    ("lower bound", "f =~ x1 + lower(0)*x2 + x3", "bounds (lower()) are not supported (term 'lower(0)*x2')"),
    ("upper bound", "f =~ x1 + upper(2)*x2 + x3", "bounds (upper()) are not supported (term 'upper(2)*x2')"),
    ("prior", 'f =~ x1 + prior("normal(0,1)")*x2 + x3', "priors (prior())"),
    (
        "efa block",
        'efa("e")*f1 + efa("e")*f2 =~ x1 + x2 + x3 + x4',
        "EFA blocks (efa()) are not supported (term 'efa(\"e\")*f1')",
    ),
    ("rv", BASE + "f =~ rv(r)*x4", "rv() modifiers"),
    ("group vector", "f =~ x1 + c(a,b)*x2 + x3", "vectors of modifiers (c(...)) are for multiple groups"),
    (
        "chained modifiers",
        "f =~ x1 + a*start(0.5)*x2 + x3",
        "the term 'a*start(0.5)*x2' chains several modifiers",
    ),
    (
        "expression",
        "f =~ x1 + sqrt(2)*x2 + x3",
        "Cannot read the modifier 'sqrt(2)' in the term 'sqrt(2)*x2'",
    ),
    ("percent", "f %x% g", "the '%' operator"),
    ("duplicate", BASE + "f =~ x1", "Duplicate model element f =~ x1"),
    ("duplicate covariance", BASE + "x1 ~~ x2\nx2 ~~ x1", "Duplicate model element x2 ~~ x1"),
    ("conflicting fixes", "f =~ NA*x1 + 1*x1 + x2", "Conflicting modifiers for '1*x1'"),
    ("conflicting labels", "f =~ x1 + a*x2 + b*x2", "Conflicting labels for 'b*x2'"),
    ("measured by itself", "f =~ f + x1 + x2", "Latent variable 'f' is measured by itself"),
    ("regressed on itself", "y ~ y + x", "'y' is regressed on itself"),
    ("empty term", "f =~ x1 + + x2", "An empty term"),
    ("no operator", "x1 + x2", "No lavaan operator (=~, ~, ~~) in the model line 'x1+x2'"),
    ("bad name", "f =~ x1 + 2x2", "Cannot read '2x2' as a variable name"),
    ("reserved word", "if =~ x1 + x2", "Cannot read 'if' as a variable name"),
    ("lhs modifier", "1*f =~ x1 + x2", "modifiers on the left-hand side ('1*f')"),
    ("empty", "  # nothing\n", "The model syntax is empty"),
    ("constant", "f =~ x1 + 1", "a constant '1' is not a variable"),
]


@pytest.mark.parametrize(("case", "syntax", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_constructs_name_the_term(case: str, syntax: str, message: str) -> None:
    with pytest.raises(StatsInputError) as refused:
        build_model(syntax)
    assert message in str(refused.value), (case, str(refused.value))


def test_refusal_happens_before_any_fit() -> None:
    # fit_sem refuses an unsupported construct rather than fitting another model.
    with pytest.raises(StatsInputError, match="intercepts"):
        fit_sem(load("holzinger_swineford_1939"), "visual =~ x1 + x2 + x3\nx1 ~ 1")
