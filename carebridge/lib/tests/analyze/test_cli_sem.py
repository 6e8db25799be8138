"""``manage.py analyze cfa|sem`` with lavaan syntax (issue #20, items 1-3): inline models with ';', the
modifiers, fixed.x rows and refusals, against the lavaan output stored in
``carebridge/lib/tests/stats/r_reference/`` (see test_sem_reference.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management.base import CommandError

from carebridge.lib.tests.analyze.test_cli import HS, PD, analyze, data, write
from carebridge.lib.tests.stats import r_output
from carebridge.lib.tests.stats.test_sem_reference import INLINE, MIMIC, STD_LV


def _rows(res: dict) -> dict[tuple[str, str, str], dict]:
    return {(e["lhs"], e["op"], e["rhs"]): e for e in res["estimates"]}


def test_an_inline_model_with_semicolons_equals_the_same_model_from_a_file(tmp_path: Path) -> None:
    inline = analyze("cfa", "--csv", data(HS), "--model", INLINE)
    from_file = analyze(
        "cfa", "--csv", data(HS), "--model", write(tmp_path / "hs.lav", INLINE.replace("; ", "\n"))
    )
    assert inline["fit"] == pytest.approx(from_file["fit"])
    assert [e["est"] for e in inline["estimates"]] == pytest.approx(
        [e["est"] for e in from_file["estimates"]]
    )
    ref = r_output.fit_measures("cfa_inline_semicolons")
    assert inline["fit"]["chi2"] == pytest.approx(ref["chisq"], rel=1e-6) and inline["fit"]["df"] == 24


def test_the_std_lv_model_of_the_issue_gives_lavaans_answer() -> None:
    # lavaan: chi2 85.306 on 24 df (the old CLI: 144.651 on 29, with x1, x4, x7 sharing a loading)
    res = analyze("cfa", "--csv", data(HS), "--model", STD_LV)
    assert round(res["fit"]["chi2"], 3) == 85.306 and res["fit"]["df"] == 24 and res["fit"]["npar"] == 21
    rows = _rows(res)
    loadings = [rows[("visual", "=~", x)]["est"] for x in ("x1", "x2", "x3")]
    assert [round(v, 3) for v in loadings] == [0.900, 0.498, 0.656]
    assert rows[("visual", "~~", "visual")]["se"] is None


def test_mimic_lists_the_fixed_x_rows_and_lavaans_fit() -> None:
    res = analyze("sem", "--csv", data(PD), "--model", MIMIC)
    ref = r_output.fit_measures("sem_mimic_fixed_x")
    fit = res["fit"]
    assert fit["df"] == ref["df"] == 8 and fit["baseline_df"] == ref["baseline.df"]
    for ours, theirs in (
        ("cfi", "cfi"),
        ("tli", "tli"),
        ("rmsea", "rmsea"),
        ("loglik", "logl"),
        ("aic", "aic"),
    ):
        assert fit[ours] == pytest.approx(ref[theirs], rel=1e-5), ours
    rows = _rows(res)
    assert rows[("x1", "~~", "x2")]["se"] is None and round(rows[("x1", "~~", "x2")]["est"], 3) == 0.977


def test_labels_travel_in_the_json(tmp_path: Path) -> None:
    res = analyze("cfa", "--csv", data(HS), "--model", "visual =~ x1 + a*x2 + a*x3; textual =~ x4 + x5 + x6")
    rows = _rows(res)
    assert rows[("visual", "=~", "x2")]["label"] == rows[("visual", "=~", "x3")]["label"] == "a"
    assert rows[("visual", "=~", "x2")]["est"] == rows[("visual", "=~", "x3")]["est"]


def test_a_long_inline_model_is_read_as_a_model_not_a_file_name() -> None:
    model = "; ".join(f"f{i} =~ x{3 * i - 2} + x{3 * i - 1} + x{3 * i}" for i in (1, 2, 3)) + "; " + "#" * 300
    res = analyze("cfa", "--csv", data(HS), "--model", model)
    assert res["fit"]["df"] == 24


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ("visual =~ x1 + x2 + x3; x1 ~ 1", "intercepts and means ('~ 1') are not supported"),
        ("visual =~ x1 + lower(0)*x2 + x3", "bounds (lower()) are not supported (term 'lower(0)*x2')"),
        ("visual =~ x1 + a*x2 + b*x3; a == b", "explicit equality constraints ('==')"),
    ],
)
def test_unsupported_syntax_exits_4_naming_the_term(model: str, message: str) -> None:
    with pytest.raises(CommandError) as refused:
        analyze("cfa", "--csv", data(HS), "--model", model)
    assert refused.value.returncode == 4
    assert message in str(refused.value)
