"""``manage.py analyze`` on the reference datasets: the JSON reproduces the published R numbers that the
statistics tests cite, to the precision R prints them, and bad input exits non-zero with one line.

References (the same as the statistics tests; only the numbers are used):
* [LAV-CFA], [LAV-SEM] lavaan tutorials and printed ``summary()`` output, see test_stats_sem.py.
* [CLARK] ``psych::alpha`` on bfi A1-A5 with A1 reversed, see test_stats_reliability.py.
* [KOPTUR] ``psych::KMO(bfi)``; [SULIK] ``fa(bfi[1:25], 5)`` null model chi-square, see test_stats_factor.py.
* plspm ``satisfaction`` outputs saved from R (GoogleCloudPlatform/plspm-python), see test_stats_pls.py.
* Saaty (2008), drinks example (Table 2), see test_stats_weights.py.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from carebridge.lib.analyze.run import ANALYSES
from carebridge.lib.tests.datasets import REPO_ROOT, datasets_dir
from carebridge.lib.tests.stats.test_pls import BLOCKS, PATHS, R_GOF, R_INNER_SUMMARY, R_PATHS
from carebridge.lib.tests.stats.test_sem import HS_MODEL, PD_MODEL
from carebridge.lib.tests.stats.test_weights import (
    DRINK_JUDGEMENTS,
    DRINKS,
    SAATY_DRINK_CR,
    SAATY_DRINK_WEIGHTS,
)

HS = "holzinger_swineford_1939.csv"
PD = "political_democracy.csv"
BFI = "psych_bfi.csv"
ECSI = "ecsi_satisfaction.csv"


def data(name: str) -> str:
    return str(datasets_dir() / name)


def _no_nan(token: str) -> None:
    raise AssertionError(f"the output is not strict JSON: {token}")


def analyze(*args: str) -> dict[str, Any]:
    """Run the command in-process and parse its stdout, which must be exactly one strict JSON object."""
    out = StringIO()
    call_command("analyze", *args, stdout=out)
    return json.loads(out.getvalue(), parse_constant=_no_nan)


def analyze_process(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py analyze`` as an analyst would, to see the real exit code and stderr."""
    return subprocess.run(  # noqa: S603 - a fixed interpreter and script, arguments from the test
        [sys.executable, "manage.py", "analyze", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )


def write(path: Path, text: str, encoding: str = "utf-8") -> str:
    path.write_text(text, encoding=encoding)
    return str(path)


@pytest.fixture
def hs_model(tmp_path: Path) -> str:
    return write(tmp_path / "hs.lav", HS_MODEL)


@pytest.fixture
def ecsi_model(tmp_path: Path) -> str:
    lines = [f"{lv} =~ {mvs[0]}-{mvs[-1]}" for lv, mvs in BLOCKS.items()]
    targets: dict[str, list[str]] = {}
    for source, target in PATHS:
        targets.setdefault(target, []).append(source)
    lines += [f"{t} ~ {' + '.join(s)}" for t, s in targets.items()]
    return write(tmp_path / "ecsi.pls", "\n".join(lines) + "\n")


@pytest.fixture
def drinks_csv(tmp_path: Path) -> str:
    """Saaty's judgements as an analyst types them: fractions, upper triangle only."""
    rows = [["", *DRINKS]]
    for i, a in enumerate(DRINKS):
        row = [a]
        for j, b in enumerate(DRINKS):
            if i == j:
                row.append("1")
            elif j > i:
                v = DRINK_JUDGEMENTS[(a, b)]
                row.append(f"{v:g}" if v >= 1 else f"1/{round(1 / v)}")
            else:
                row.append("")
        rows.append(row)
    path = tmp_path / "drinks.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return str(path)


# ---------------------------------------------------------------------------------------------
# The published R numbers


def test_cfa_reproduces_lavaan_on_holzinger_swineford(hs_model: str) -> None:
    # [LAV-CFA] chi2 85.306, df 24, CFI 0.931, TLI 0.896, RMSEA 0.092 (0.071, 0.114), SRMR 0.065
    res = analyze("cfa", "--csv", data(HS), "--model", hs_model)
    fit = res["fit"]
    assert res["analysis"] == "cfa" and res["n"] == 301
    assert round(fit["chi2"], 3) == 85.306 and fit["df"] == 24
    assert round(fit["p"], 3) == 0.000
    assert round(fit["cfi"], 3) == 0.931
    assert round(fit["tli"], 3) == 0.896
    assert round(fit["rmsea"], 3) == 0.092
    assert round(fit["rmsea_ci_lower"], 3) == 0.071
    assert round(fit["rmsea_ci_upper"], 3) == 0.114
    assert round(fit["srmr"], 3) == 0.065
    # [LAV-CFA] visual =~ x2: Estimate 0.554, Std.Err 0.100, Std.all 0.424; x1 fixed to 1 (no SE)
    rows = {(e["lhs"], e["op"], e["rhs"]): e for e in res["estimates"]}
    x2 = rows[("visual", "=~", "x2")]
    assert (round(x2["est"], 3), round(x2["se"], 3), round(x2["std"], 3)) == (0.554, 0.100, 0.424)
    assert rows[("visual", "=~", "x1")]["se"] is None
    assert [c["name"] for c in res["constructs"]] == ["visual", "textual", "speed"]
    assert all(0 < c["cr"] < 1 and 0 < c["ave"] < 1 for c in res["constructs"])
    assert res["htmt"]["visual"]["visual"] == 1.0 and 0 < res["htmt"]["visual"]["textual"] < 1
    assert res["warnings"] == []


def test_sem_reproduces_lavaan_on_political_democracy(tmp_path: Path) -> None:
    # [LAV-SEM] chi2 38.125, df 35, P-value 0.329; dem65 ~ dem60 0.837 (SE 0.098, Std.all 0.885)
    res = analyze("sem", "--csv", data(PD), "--model", write(tmp_path / "pd.lav", PD_MODEL))
    assert round(res["fit"]["chi2"], 3) == 38.125 and res["fit"]["df"] == 35
    assert round(res["fit"]["p"], 3) == 0.329
    path = next(e for e in res["estimates"] if (e["lhs"], e["op"], e["rhs"]) == ("dem65", "~", "dem60"))
    assert (round(path["est"], 3), round(path["se"], 3), round(path["std"], 3)) == (0.837, 0.098, 0.885)
    # 75 cases is below the usual 200 for SEM: the result says so.
    assert res["n"] == 75 and any("minimum of 200" in w for w in res["warnings"])


def test_reliability_reproduces_psych_alpha_with_a_reversed_item() -> None:
    # [CLARK] raw_alpha 0.7, std.alpha 0.71; r.drop A1 .31 A2 .56 A3 .59 A4 .39 A5 .49;
    # alpha if dropped A1 .72 A2 .62 A3 .60 A4 .69 A5 .64
    res = analyze(
        "reliability",
        "--csv",
        data(BFI),
        "--items",
        "A1-A5",
        "--reverse",
        "A1",
        "--scale-min",
        "1",
        "--scale-max",
        "6",
    )
    assert round(res["alpha"], 2) == 0.70
    assert round(res["alpha_std"], 2) == 0.71
    assert res["n"] == 2800 and res["missing"] == "pairwise"
    items = {i["name"]: i for i in res["items"]}
    assert list(items) == ["A1", "A2", "A3", "A4", "A5"]
    assert {k: round(v["r_drop"], 2) for k, v in items.items()} == {
        "A1": 0.31,
        "A2": 0.56,
        "A3": 0.59,
        "A4": 0.39,
        "A5": 0.49,
    }
    assert {k: round(v["alpha_if_deleted"], 2) for k, v in items.items()} == {
        "A1": 0.72,
        "A2": 0.62,
        "A3": 0.60,
        "A4": 0.69,
        "A5": 0.64,
    }
    assert items["A1"]["reversed"] and not items["A2"]["reversed"]
    assert 0 < res["split_half"]["spearman_brown"] < 1


def test_kmo_reproduces_psych_on_bfi() -> None:
    # [KOPTUR] Overall MSA = 0.85; A1 0.74, C5 0.86, O5 0.76.
    # [SULIK] null model chi-square 20163.79 on 300 df (= Bartlett's test on all 25 items).
    res = analyze("kmo", "--csv", data(BFI), "--items", "A1:O5")
    assert round(res["kmo"], 2) == 0.85
    msa = {i["name"]: i["msa"] for i in res["items"]}
    assert len(msa) == 25
    assert (round(msa["A1"], 2), round(msa["C5"], 2), round(msa["O5"], 2)) == (0.74, 0.86, 0.76)
    assert round(res["bartlett"]["chi2"], 2) == 20163.79 and res["bartlett"]["df"] == 300
    assert res["bartlett"]["p"] < 1e-300


def test_pls_reproduces_plspm_satisfaction(ecsi_model: str) -> None:
    # plspm(satisfaction, ..., modes = rep("A", 6), scaled = FALSE): $path_coefs, $inner_summary R2, $gof.
    # The ECSI file's unnamed first column (R's row names) becomes the index on its own.
    res = analyze("pls", "--csv", data(ECSI), "--model", ecsi_model, "--scale-min", "1", "--scale-max", "10")
    coefs = {(p["from"], p["to"]): p["coef"] for p in res["paths"]}
    assert coefs.keys() == R_PATHS.keys()
    for edge, expected in R_PATHS.items():
        assert coefs[edge] == pytest.approx(expected, abs=1e-6), edge
    for lv, (r2, *_rest) in R_INNER_SUMMARY.items():
        if r2:
            assert res["r2"][lv] == pytest.approx(r2, abs=1e-6), lv
    assert "IMAG" not in res["r2"]  # exogenous
    assert res["gof"] == pytest.approx(R_GOF, abs=1e-6)
    assert res["n"] == 250 and res["input"]["index_col"] == "Unnamed: 0"
    assert set(res["index"]) == set(BLOCKS) and all(0 < v < 100 for v in res["index"].values())


def test_pls_reads_json_models_and_mode_b(tmp_path: Path) -> None:
    # satisfaction.modeb.inner-summary.csv (all blocks Mode B, centroid, scaled = FALSE): R2 of SAT
    # 0.732183693952877 and LOY 0.539969047981518; AVE is undefined for formative blocks (-> null).
    model = write(tmp_path / "ecsi.json", json.dumps({"blocks": BLOCKS, "paths": PATHS}))
    res = analyze(
        "pls", "--csv", data(ECSI), "--model", model, "--mode", "B", "--scale-min", "1", "--scale-max", "10"
    )
    assert res["r2"]["SAT"] == pytest.approx(0.732183693952877, abs=1e-6)
    assert res["r2"]["LOY"] == pytest.approx(0.539969047981518, abs=1e-6)
    assert all(c["mode"] == "B" and c["ave"] is None for c in res["constructs"])


def test_ahp_reproduces_saatys_drinks_example(drinks_csv: str) -> None:
    # Saaty (2008) Table 2: weights .177 .019 .042 .116 .190 .129 .327, CR .022 (RI 1.32 for n = 7)
    res = analyze("ahp", "--matrix", drinks_csv)
    assert [round(res["weights"][d], 3) for d in DRINKS] == SAATY_DRINK_WEIGHTS
    assert round(res["cr"], 3) == SAATY_DRINK_CR
    assert res["consistent"] is True and res["ri"] == 1.32 and res["n"] == 7
    assert res["lambda_max"] > 7 and res["ci"] == pytest.approx((res["lambda_max"] - 7) / 6)
    assert any("reciprocal" in w for w in res["warnings"])  # the lower triangle was left empty


# ---------------------------------------------------------------------------------------------
# Errors: one line on stderr, a documented exit code, no traceback


def _bad_matrix(tmp_path: Path, name: str, rows: str) -> str:
    return write(tmp_path / f"{name}.csv", rows)


@pytest.mark.parametrize(
    ("case", "code", "message"),
    [
        ("unknown_column", 4, "Unknown column 'agee' (--items); did you mean 'age'"),
        ("non_numeric", 4, "Column 'gender' is not numeric: data row 1 has 'male'"),
        ("unidentified", 4, "The model is not identified"),
        ("not_reciprocal", 4, "not reciprocal: (a, b) = 3 but (b, a) = 0.5"),
        ("inconsistent", 5, "inconsistent: CR = 1.585 ≥ 0.10"),
        ("missing_file", 3, "File not found"),
        ("unknown_analysis", 2, "Unknown analysis 'relability'; did you mean 'reliability'?"),
    ],
)
def test_bad_input_exits_with_one_clear_line(tmp_path: Path, case: str, code: int, message: str) -> None:
    args = {
        "unknown_column": ["reliability", "--csv", data(BFI), "--items", "A1-A5,agee"],
        "non_numeric": ["reliability", "--csv", data(ECSI), "--items", "imag1,gender"],
        "unidentified": ["cfa", "--csv", data(HS), "--model", write(tmp_path / "f.lav", "f =~ x1 + x2\n")],
        "not_reciprocal": ["ahp", "--matrix", _bad_matrix(tmp_path, "half", "a,b\n1,3\n0.5,1\n")],
        # a > b, b > c but c >> a: intransitive judgements
        "inconsistent": [
            "ahp",
            "--matrix",
            _bad_matrix(tmp_path, "intransitive", "a,b,c\n1,3,1/5\n1/3,1,3\n5,1/3,1\n"),
        ],
        "missing_file": ["kmo", "--csv", str(tmp_path / "nowhere.csv")],
        "unknown_analysis": ["relability", "--csv", data(BFI)],
    }[case]
    done = analyze_process(*args)
    assert done.returncode == code, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr


def test_an_inconsistent_matrix_is_explained_and_can_be_accepted_on_purpose(tmp_path: Path) -> None:
    matrix = _bad_matrix(tmp_path, "intransitive", "a,b,c\n1,3,1/5\n1/3,1,3\n5,1/3,1\n")
    with pytest.raises(CommandError) as refused:
        analyze("ahp", "--matrix", matrix)
    assert refused.value.returncode == 5
    assert "disagrees most" in str(refused.value) and "--allow-inconsistent" in str(refused.value)
    res = analyze("ahp", "--matrix", matrix, "--allow-inconsistent")
    assert res["consistent"] is False and res["cr"] >= 0.10
    assert any("inconsistent" in w for w in res["warnings"])


def test_data_errors_have_their_exit_codes_in_process(tmp_path: Path) -> None:
    cases = [
        (["kmo"], 2, "needs a data file"),
        (["kmo", "--csv", data(BFI), "--items", "A1-A2"], 2, "at least 3"),
        (["reliability", "--csv", data(BFI), "--items", "A1-A5", "--reverse", "C1"], 2, "not among --items"),
        (["cfa", "--csv", data(HS)], 2, "--model"),
        (["cfa", "--csv", data(HS), "--model", "visual =~ x1 + x2 + x99"], 4, "'x99'"),
        (["drivers", "--csv", data(ECSI), "--items", "qual1-qual5"], 2, "--target"),
        (
            ["describe", "--csv", data(BFI), "--items", "A1", "--scale-min", "1", "--scale-max", "5"],
            4,
            "outside",
        ),
    ]
    for args, code, message in cases:
        with pytest.raises(CommandError) as exc:
            analyze(*args)
        assert exc.value.returncode == code, args
        assert message in str(exc.value), (args, str(exc.value))


def test_it_reads_gbk_files_from_chinese_excel(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    rows = [("科室", "评价", "满意度")] + [
        ("心内科" if i % 2 else "儿科", "医生态度很好", 3 + i % 3) for i in range(40)
    ]
    with path.open("w", newline="", encoding="gbk") as fh:
        csv.writer(fh).writerows(rows)
    res = analyze("describe", "--csv", str(path), "--items", "满意度", "--scale-min", "1", "--scale-max", "5")
    assert res["input"]["encoding"] == "gb18030" and res["items"][0]["name"] == "满意度"
    assert any("not UTF-8" in w for w in res["warnings"])
    explicit = analyze(
        "describe",
        "--csv",
        str(path),
        "--items",
        "满意度",
        "--encoding",
        "gbk",
        "--scale-min",
        "1",
        "--scale-max",
        "5",
    )
    assert explicit["items"][0]["n"] == 40
    with pytest.raises(CommandError) as exc:
        analyze("describe", "--csv", str(path), "--encoding", "utf-8")
    assert exc.value.returncode == 3 and "--encoding gbk" in str(exc.value)


# ---------------------------------------------------------------------------------------------
# The other analyses: documented keys and sane values


def test_the_command_offers_the_fifteen_analyses_of_issue_6() -> None:
    assert set(ANALYSES) == {
        "describe",
        "reliability",
        "kmo",
        "efa",
        "cfa",
        "sem",
        "pls",
        "ahp",
        "entropy",
        "fuzzy",
        "ipa",
        "drivers",
        "adjust",
        "compare",
        "text",
    }


def test_row_names_and_dropped_columns_stay_out_of_the_items() -> None:
    # The ECSI answers run 0-10 (a few zeros), although the datasets README says 1-10.
    res = analyze(
        "describe", "--csv", data(ECSI), "--drop", "gender", "--scale-min", "0", "--scale-max", "10"
    )
    assert res["input"]["index_col"] == "Unnamed: 0" and res["input"]["dropped"] == ["gender"]
    assert len(res["items"]) == 27 and res["items"][0]["name"] == "imag1"
    assert any("No --items given" in w for w in res["warnings"])


def test_describe_gives_boxes_means_and_groups() -> None:
    res = analyze(
        "describe",
        "--csv",
        data(BFI),
        "--items",
        "A2,A3",
        "--scale-min",
        "1",
        "--scale-max",
        "6",
        "--group",
        "gender",
    )
    assert res["n"] == 2800 and res["warnings"] == []
    a2 = res["items"][0]
    assert a2["name"] == "A2" and a2["n"] == 2773 and a2["n_missing"] == 27
    assert a2["top_box"] + a2["middle"] + a2["bottom_box"] == pytest.approx(1)
    assert a2["mean_ci"][0] < a2["mean"] < a2["mean_ci"][1]
    assert a2["linear_mean_100"] == pytest.approx((a2["mean"] - 1) / 5 * 100)
    assert sum(a2["distribution"].values()) == 2773
    assert [g["group"] for g in res["groups"]] == ["1", "2"]
    assert sum(g["n"] for g in res["groups"]) == 2800


def test_efa_gives_loadings_and_fit_and_uses_parallel_analysis_when_asked() -> None:
    res = analyze("efa", "--csv", data(BFI), "--items", "A1:O5", "--factors", "5", "--rotation", "varimax")
    assert res["n_factors"] == 5 and res["rotation"] == "varimax" and res["method"] == "minres"
    assert len(res["loadings"]) == 25 and {"MR1", "MR5", "communality"} <= res["loadings"][0].keys()
    assert all(0 < row["communality"] < 1 for row in res["loadings"])
    assert res["fit"]["df"] == 185 and 0 < res["fit"]["rmsea"] < 0.1
    small = analyze("efa", "--csv", data(HS), "--items", "x1-x9")
    assert small["parallel"]["n_factors"] == small["n_factors"] >= 1
    assert any("parallel analysis" in w for w in small["warnings"])


def test_entropy_weights_departments_by_their_item_means() -> None:
    res = analyze(
        "entropy", "--csv", data(BFI), "--items", "A1-A5", "--group", "education", "--reverse", "A1"
    )
    assert res["n"] == 5 and res["units"] == ["1", "2", "3", "4", "5"]
    assert sum(res["weights"].values()) == pytest.approx(1)
    assert all(0 <= v <= 1 for v in res["entropy"].values()) and res["cost"] == ["A1"]


def test_fuzzy_evaluation_gives_a_grade_and_a_score(tmp_path: Path) -> None:
    res = analyze(
        "fuzzy", "--csv", data(BFI), "--items", "A2-A5", "--scale-min", "1", "--scale-max", "6",
        "--weights", "A2=0.4,A3=0.3,A4=0.2,A5=0.1",
    )  # fmt: skip
    assert res["grades"] == ["6", "5", "4", "3", "2", "1"] and res["grade_values"][0] == 100
    assert sum(res["evaluation"].values()) == pytest.approx(1)
    assert res["grade"] == max(res["evaluation"], key=res["evaluation"].get)
    assert 0 < res["score"] < 100
    model = write(
        tmp_path / "levels.json",
        json.dumps(
            {
                "dimensions": {"warmth": {"A2": 1, "A3": 1}, "care": ["A4", "A5"]},
                "weights": {"warmth": 2, "care": 1},
            }
        ),
    )
    levels = analyze("fuzzy", "--csv", data(BFI), "--model", model, "--scale-min", "1", "--scale-max", "6")
    assert [d["name"] for d in levels["dimensions"]] == ["warmth", "care"]
    assert 0 < levels["score"] < 100


def test_ipa_places_items_in_quadrants() -> None:
    res = analyze("ipa", "--csv", data(ECSI), "--items", "qual1-qual5", "--overall", "sat1")
    assert res["n"] == 250 and len(res["attributes"]) == 5
    for a in res["attributes"]:
        assert a["quadrant"] in res["quadrants"]
        assert (a["importance"] >= res["importance_cut"]) == (
            a["quadrant"] in ("concentrate_here", "keep_up")
        )


def test_drivers_split_r2_by_relative_weights_with_bootstrap() -> None:
    res = analyze(
        "drivers", "--csv", data(ECSI), "--items", "imag1,expe1,qual1,val1", "--target", "sat1",
        "--boot", "100", "--seed", "3",
    )  # fmt: skip
    assert res["target"] == "sat1" and 0 < res["r2"] < 1
    assert sum(d["rescaled_pct"] for d in res["drivers"]) == pytest.approx(100)
    assert sum(d["raw_weight"] for d in res["drivers"]) == pytest.approx(res["r2"])
    assert [d["rank"] for d in res["drivers"]] == [1, 2, 3, 4]
    assert all(d["pct_low"] <= d["rescaled_pct"] <= d["pct_high"] for d in res["drivers"])


def test_adjust_shows_raw_and_adjusted_means_side_by_side() -> None:
    res = analyze(
        "adjust", "--csv", data(BFI), "--target", "A2", "--unit", "education", "--adjusters", "age,gender:cat"
    )
    assert res["adjusters"] == {"numeric": ["age"], "categorical": ["gender"], "mode": None}
    assert [u["unit"] for u in res["units"]] == ["1", "2", "3", "4", "5"]
    for u in res["units"]:
        assert u["adjusted_mean"] == pytest.approx(u["raw_mean"] + u["adjustment"])
    assert res["n"] + res["n_dropped"] == 2800
    assert any("left out" in w for w in res["warnings"])


def test_compare_tests_groups_with_corrected_pairwise_p_values() -> None:
    res = analyze("compare", "--csv", data(BFI), "--items", "A2,A3", "--group", "education")
    assert res["method"] == "anova" and res["adjust"] == "holm"
    a2 = res["items"][0]
    assert a2["name"] == "A2" and a2["test"]["df"] == [4, 2547]
    assert 0 <= a2["test"]["p"] <= a2["test"]["p_adj"] <= 1
    assert all(p["p"] <= p["p_adj"] for p in a2["pairwise"])
    box = analyze(
        "compare", "--csv", data(BFI), "--target", "A2", "--group", "gender", "--method", "proportion",
        "--scale-min", "1", "--scale-max", "6",
    )  # fmt: skip
    assert box["top_box"] == [5.0, 6.0] and box["items"][0]["test"]["method"] == "two_proportion"


def test_text_finds_topics_and_polarity_in_chinese_comments(tmp_path: Path) -> None:
    comments = write(
        tmp_path / "c.csv",
        "科室,评论\n心内科,医生态度很好，但是排队太久\n心内科,护士很耐心\n儿科,收费太贵了\n儿科,\n",
    )
    res = analyze("text", "--csv", comments, "--text-column", "评论", "--group", "科室")
    assert res["n"] == 3 and res["n_skipped"] == 1
    topics = {t["topic"]: t for t in res["topics"]}
    assert topics["等候时间"]["negative"] == 1 and topics["费用"]["negative"] == 1
    assert sum(res["polarity"].values()) == 3
    assert {g["group"] for g in res["groups"]} == {"心内科", "儿科"}


def test_table_format_is_for_people() -> None:
    out = StringIO()
    call_command("analyze", "kmo", "--csv", data(BFI), "--items", "A1-A5", "--format", "table", stdout=out)
    text = out.getvalue()
    assert text.startswith("analysis: kmo") and "bartlett:" in text and "A1" in text
