"""``manage.py analyze efa`` against the psych output stored in
``carebridge/lib/tests/stats/r_reference/`` (issue #20, items 4-7; see test_factor_reference.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebridge.lib.analyze.context import Options
from carebridge.lib.analyze.run import run
from carebridge.lib.tests.analyze.test_cli import BFI, HS, analyze, data
from carebridge.lib.tests.stats import r_output
from carebridge.lib.tests.stats.test_factor_reference import EPI_BFI


def test_promax_is_psychs_kaiser_normalised_promax() -> None:
    res = analyze(
        "efa", "--csv", data(BFI), "--items", "C1-C5,O1-O5", "--factors", "2", "--rotation", "promax"
    )  # fmt: skip
    ref = r_output.matrix("efa_promax_kaiser", "loadings")
    for row in res["loadings"]:
        assert [row["MR1"], row["MR2"]] == pytest.approx(ref.loc[row["name"]].tolist(), abs=1e-5)
    assert res["factor_correlations"]["MR1"]["MR2"] == pytest.approx(0.26891298, abs=1e-6)


def test_unnormalised_promax_is_offered_by_psychs_name() -> None:
    # The library and run() accept "Promax"; the management command's --rotation choices are
    # declared in carebridge/insights/management/commands/analyze.py (see docs/analyze.md).
    res = run(Options(analysis="efa", csv=Path(data(BFI)), items="C1-C5,O1-O5", factors=2, rotation="Promax"))
    assert res["rotation"] == "Promax"
    assert res["factor_correlations"]["MR1"]["MR2"] == pytest.approx(0.29404197, abs=1e-6)


def test_rmsea_interval_and_psych_labels_in_the_json() -> None:
    res = analyze("efa", "--csv", data(HS), "--items", "x1-x9", "--factors", "3", "--method", "ml",
                  "--rotation", "varimax")  # fmt: skip
    assert round(res["fit"]["rmsea"], 4) == 0.0535
    assert (round(res["fit"]["rmsea_ci_lower"], 5), round(res["fit"]["rmsea_ci_upper"], 4)) == (
        0.01475,
        0.0878,
    )
    assert list(res["ss_loadings"]) == ["ML1", "ML3", "ML2"]
    assert [k for k in res["loadings"][0] if k.startswith("ML")] == ["ML1", "ML3", "ML2"]


def test_a_heywood_case_is_in_the_warnings_naming_the_item() -> None:
    res = analyze("efa", "--csv", str(EPI_BFI), "--factors", "3", "--method", "ml")
    heywood = [w for w in res["warnings"] if "Heywood" in w]
    assert len(heywood) == 1 and "epiE" in heywood[0]
    assert list(res["ss_loadings"]) == ["ML3", "ML1", "ML2"]
