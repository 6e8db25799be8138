"""The analysis layer: the weighted index against a hand computation, scope, minimum n, masking."""

from __future__ import annotations

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from carebridge.insights.domain.analysis.benchmark import benchmark
from carebridge.insights.domain.analysis.comments import mask_comment
from carebridge.insights.domain.analysis.frame import respondent_indexes
from carebridge.insights.domain.analysis.indexes import group_indexes, index_summary
from carebridge.insights.domain.analysis.psychometrics import cfa_syntax, factor_blocks
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.selectors.analysis.frame import load_frame
from carebridge.insights.selectors.analysis.results import analyse
from carebridge.insights.selectors.analysis.selection import responses_for
from carebridge.insights.tests.support.analysis_data import (
    add_response,
    add_responses,
    answers_from,
    definition_rated,
)
from carebridge.surveys.domain.instruments import score
from carebridge.surveys.models import Wave

pytestmark = pytest.mark.django_db


def _frame(user, version, **filters):
    selection = Selection(instrument_id=version.instrument_id, **filters)
    return load_frame(responses_for(user=user, selection=selection))


def test_the_weighted_index_equals_a_hand_computation(rated_version, cardiology, quality_officer_qian):
    # A: care = (2·100 + 100 [c2=1 reversed] + 50)/4 = 87.5; env = (2·mean(75, 25) + 100)/3 = 66.667;
    #    overall_rating = mean(100, 50) = 75; overall = .5·87.5 + .3·66.667 + .2·75 = 78.75.
    add_response(
        rated_version,
        {"c1": 5, "c2": 1, "c3": 3, "e1": 4, "e2": 2, "e3": 5, "overall": 10, "recommend": 5},
        department=cardiology,
    )
    # B: c1 not applicable, so care = (0 + 100)/2 = 50; no environment answer; overall_rating = 0;
    #    overall over the answered dimensions only = (.5·50 + .2·0)/.7 = 35.714.
    add_response(
        rated_version, {"c1": "na", "c2": 5, "c3": 5, "overall": 0, "recommend": 0}, department=cardiology
    )
    summary = index_summary(_frame(quality_officer_qian, rated_version))
    assert summary["overall"]["n"] == 2
    assert summary["overall"]["estimate"] == pytest.approx((78.75 + 250 / 7) / 2, abs=1e-3)
    by_code = {d["code"]: d for d in summary["dimensions"]}
    assert by_code["care"]["estimate"] == pytest.approx((87.5 + 50) / 2)
    assert by_code["env"]["n"] == 1 and by_code["env"]["estimate"] == pytest.approx(200 / 3, abs=1e-3)
    assert by_code["env"]["lower"] is None  # one answer: no interval
    assert by_code["care"]["weight"] == pytest.approx(0.5)


def test_respondent_indexes_agree_with_the_scoring_of_submissions():
    definition = definition_rated()
    rng = np.random.default_rng(3)
    answers = [answers_from(float(rng.normal()), rng) for _ in range(40)]
    answers[0]["c1"] = "na"
    del answers[1]["e3"]
    table = respondent_indexes(definition, answers)
    for row, given in zip(table.itertuples(), answers, strict=True):
        overall, dimensions = score(definition, given)
        assert row.overall == pytest.approx(overall, abs=1e-3)
        assert row.care == pytest.approx(dimensions["care"], abs=1e-3)


def test_a_ward_manager_sees_only_her_departments_answers(survey_data, ward_manager_wang):
    version = survey_data["version"]
    result = analyse(
        user=ward_manager_wang, selection=Selection(instrument_id=version.instrument_id), kind="indexes"
    )
    assert result["n"] == 50
    assert [g["label"] for g in result["groups"]] == ["儿科"]


def test_analysis_is_refused_without_the_permission(survey_data, clinician_zhou):
    with pytest.raises(PermissionDenied):
        analyse(
            user=clinician_zhou,
            selection=Selection(instrument_id=survey_data["version"].instrument_id),
            kind="indexes",
        )


def test_an_anonymous_wave_never_shows_a_group_below_its_minimum(
    rated_version, cardiology, paediatrics, quality_officer_qian
):
    wave = Wave.objects.create(
        hospital=cardiology.hospital,
        name="员工匿名调查",
        version=rated_version,
        population="staff",
        anonymous=True,
        min_report_group=5,
        owner=quality_officer_qian,
    )
    add_responses(rated_version, department=cardiology, n=3, seed=1, wave=wave)
    add_responses(rated_version, department=paediatrics, n=40, seed=2, wave=wave)
    frame = _frame(quality_officer_qian, rated_version, wave_id=wave.pk)
    groups = {g["label"]: g for g in group_indexes(frame, by="department")}
    assert groups["心血管内科"]["suppressed"] and groups["心血管内科"]["estimate"] is None
    assert not groups["儿科"]["suppressed"] and groups["儿科"]["estimate"] is not None
    assert [u["label"] for u in benchmark(frame)["units"]] == ["儿科"]
    only_small = _frame(quality_officer_qian, rated_version, wave_id=wave.pk, department_id=cardiology.pk)
    summary = index_summary(only_small)
    assert summary["overall"]["suppressed"] and summary["overall"]["estimate"] is None
    assert all(d["estimate"] is None for d in summary["dimensions"])


def test_benchmark_shows_raw_and_adjusted_side_by_side_with_tests(survey_data, quality_officer_qian):
    frame = _frame(quality_officer_qian, survey_data["version"])
    result = benchmark(frame, adjusters=("age_band", "sex", "srh"), p_adjust="BH")
    assert result["adjusters"]["numeric"] == ["srh"] and result["adjusters"]["mode"] is True
    units = {u["label"]: u for u in result["units"]}
    assert set(units) == {"心血管内科", "儿科"}
    cardio = units["心血管内科"]
    assert cardio["adjusted"] == pytest.approx(cardio["raw"]["estimate"] + cardio["adjustment"], abs=0.01)
    assert cardio["raw_test"]["diff"] > 0 and 0 <= cardio["raw_test"]["p_adj"] <= 1
    assert units["儿科"]["small"] is False


def test_an_adjuster_that_is_the_department_itself_is_left_out_not_fatal(survey_data, quality_officer_qian):
    # service_line has one value per department: adjusting for it would adjust the difference away.
    frame = _frame(quality_officer_qian, survey_data["version"])
    result = benchmark(frame)
    used = [*result["adjusters"]["numeric"], *result["adjusters"]["categorical"]]
    assert "service_line" not in used and "age_band" in used and not result["warnings"]
    assert all(unit["adjusted"] is not None for unit in result["units"])


def test_small_units_are_flagged(survey_data, quality_officer_qian):
    frame = _frame(quality_officer_qian, survey_data["version"])
    months = group_indexes(frame, by="month")
    assert any(m["small"] for m in months) and all(m["n"] < 30 for m in months if m["small"])


def test_the_cfa_model_is_built_from_the_instruments_dimensions(survey_data, quality_officer_qian):
    frame = _frame(quality_officer_qian, survey_data["version"])
    syntax, names = cfa_syntax(factor_blocks(frame))
    # "overall" is an item code here, so the dimension keeps its own name and nothing clashes.
    assert syntax.splitlines() == [
        "care =~ c1 + c2 + c3",
        "env =~ e1 + e2 + e3",
        "overall_rating =~ overall + recommend",
    ]
    assert names["care"] == "care"


def test_comment_examples_mask_phone_numbers():
    assert mask_comment("请回电 13812345678 或 0571-87654321") == "请回电 138****5678 或 ****-****4321"
    assert "110101199003071234" not in mask_comment("身份证110101199003071234")


def test_comments_give_topics_and_masked_examples_only_when_allowed(
    survey_data, quality_officer_qian, executive_zhao
):
    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    full = analyse(user=quality_officer_qian, selection=selection, kind="comments")
    topics = {t["topic"]: t for t in full["topics"]}
    assert topics["等候时间"]["negative"] == 30
    example = topics["等候时间"]["negative_examples"][0]
    assert "13812345678" not in example and "138****5678" in example
    counts = analyse(user=executive_zhao, selection=selection, kind="comments")
    assert counts["examples_shown"] is False
    assert all(not t["negative_examples"] and not t["positive_examples"] for t in counts["topics"])
    assert {t["topic"]: t["n"] for t in counts["topics"]} == {t["topic"]: t["n"] for t in full["topics"]}


def _csi_answers(rng: np.random.Generator) -> dict[str, int]:
    """ACSI-like answers on 1–10: quality and value drive satisfaction, satisfaction drives loyalty."""
    exp = rng.normal()
    qual = 0.5 * exp + rng.normal(0, 0.9)
    val = 0.3 * exp + 0.6 * qual + rng.normal(0, 0.7)
    sat = 0.1 * exp + 0.5 * qual + 0.3 * val + rng.normal(0, 0.5)
    cmp_ = 0.6 * sat + rng.normal(0, 0.8)
    loy = 0.7 * sat + 0.2 * cmp_ + rng.normal(0, 0.6)

    def items(prefix: str, latent: float, k: int) -> dict[str, int]:
        return {
            f"{prefix}{i}": int(np.clip(round(7 + 1.3 * latent + rng.normal(0, 0.8)), 1, 10))
            for i in range(1, k + 1)
        }

    return {
        **items("exp", exp, 3),
        **items("qual", qual, 4),
        **items("val", val, 2),
        **items("sat", sat, 3),
        **items("cmp", cmp_, 2),
        **items("loy", loy, 2),
    }


def test_the_csi_model_draws_the_acsi_structure_with_indexes_and_significance(
    hospital, cardiology, quality_officer_qian
):
    import json
    from pathlib import Path

    from carebridge.insights.domain.analysis.csi import csi_model
    from carebridge.surveys.domain.library.documents import __file__ as library_init
    from carebridge.surveys.tests.factories import published_version

    document = json.loads((Path(library_init).parent / "csi.json").read_text(encoding="utf-8"))
    version = published_version(
        hospital=hospital, definition=document.get("definition", document), kind="csi"
    )
    rng = np.random.default_rng(7)
    for _ in range(160):
        add_response(version, _csi_answers(rng), department=cardiology)
    result = csi_model(_frame(quality_officer_qian, version), n_boot=60)
    assert {n["code"] for n in result["nodes"]} == {
        "expectation",
        "quality",
        "value",
        "satisfaction",
        "complaints",
        "loyalty",
    }
    edges = {(e["source"], e["target"]): e for e in result["edges"]}
    assert len(edges) == 9  # the ACSI paths without image
    assert (
        edges[("quality", "satisfaction")]["significant"] and edges[("quality", "satisfaction")]["coef"] > 0
    )
    assert edges[("satisfaction", "loyalty")]["significant"]
    assert all(0 <= n["index"] <= 100 for n in result["nodes"])
