"""A reverse-keyed item is one thing everywhere: the demo generator, the index, the item distributions,
reliability, the CFA, IPA, the drivers and the monthly report.

The demo's "住院期间，我常常找不到可以询问的医护人员" used to be answered as if it were positively worded
(most satisfied people *agreed* with it), so the report showed it 94 % unfavourable while reliability
showed it loading +0.62 on its scale. Here answers are drawn from the demo's latent model
(``surveys.demo.latent``) for a scale with a positively worded item and a negatively worded one of the
*same* true loading, so every analysis must report the two alike (the negative one recoded), and the raw
answers to the negative one must mostly disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from carebridge.insights.domain.analysis.drivers import ipa_grid, key_drivers
from carebridge.insights.domain.analysis.frame import FIELDS, build_frame
from carebridge.insights.domain.analysis.items import item_distributions
from carebridge.insights.domain.analysis.psychometrics import psychometric_panel
from carebridge.insights.domain.report import compute
from carebridge.surveys.demo import latent
from carebridge.surveys.domain.instruments import iter_items, score
from carebridge.surveys.models import InstrumentVersion

N = 3000
LOADINGS = {"c1": 0.85, "c2": 0.70, "c3": 0.70, "e1": 0.80, "e2": 0.75, "e3": 0.70}
REVERSED = "c3"  # same true loading as c2, worded the other way


def _likert(code: str, zh: str, *, reverse: bool = False) -> dict[str, Any]:
    return {"code": code, "type": "likert", "points": 5, "reverse": reverse, "text": {"zh-hans": zh}}


DEFINITION: dict[str, Any] = {
    "schema": 1,
    "code": "reverse-test",
    "title": {"zh-hans": "反向条目"},
    "dimensions": [
        {
            "code": "care",
            "title": {"zh-hans": "医护人员的响应"},
            "weight": 1,
            "indicators": [
                {
                    "code": "care_i",
                    "title": {"zh-hans": "响应"},
                    "items": [
                        _likert("c1", "按呼叫铃后，您能很快得到帮助吗？"),
                        _likert("c2", "需要帮助时，您能及时得到帮助吗？"),
                        _likert(REVERSED, "住院期间，我常常找不到可以询问的医护人员。", reverse=True),
                    ],
                }
            ],
        },
        {
            "code": "env",
            "title": {"zh-hans": "住院环境"},
            "weight": 1,
            "indicators": [
                {
                    "code": "env_i",
                    "title": {"zh-hans": "环境"},
                    "items": [
                        _likert("e1", "病房干净吗？"),
                        _likert("e2", "夜间安静吗？"),
                        _likert("e3", "标识清楚吗？"),
                    ],
                }
            ],
        },
        {
            "code": "overall_rating",
            "title": {"zh-hans": "总体评价"},
            "weight": 1,
            "indicators": [
                {
                    "code": "ovr",
                    "title": {"zh-hans": "总体"},
                    "items": [{"code": "overall", "type": "scale_0_10", "text": {"zh-hans": "总体打分"}}],
                }
            ],
        },
    ],
}


def _model() -> latent.FactorModel:
    specs = [s for s in iter_items(DEFINITION) if s.scored]
    items = tuple(
        latent.ItemLayout(s.code, s.dimension, s.item_type, s.reverse, False, LOADINGS.get(s.code, 0.9))
        for s in specs
    )
    return latent.FactorModel(
        "reverse-test", ("care", "env", "overall_rating"), items, {"care": 0.5, "env": 0.3}
    )


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    model = _model()
    _eta, drawn = model.simulate(np.zeros((N, 3)), np.random.default_rng(20261203))
    return pd.DataFrame({code: values.astype(float) for code, values in drawn.items()})


@pytest.fixture(scope="module")
def frame(answers):
    version = InstrumentVersion(pk=1, number=1, definition=DEFINITION)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    rows = []
    for i, row in enumerate(answers.to_dict("records")):
        record = dict.fromkeys(FIELDS)
        record.update(
            id=i + 1,
            hospital_id=1,
            version_id=1,
            mode="web",
            submitted_at=start + dt.timedelta(minutes=i),
            answers={code: int(value) for code, value in row.items()},
            adjusters={},
        )
        rows.append(record)
    return build_frame(rows, versions={1: version}, primary=version)


def test_the_generator_answers_a_negative_statement_with_disagreement(answers):
    raw = answers[REVERSED]
    assert (raw <= 2).mean() > 0.6  # satisfied people do not "often fail to find anyone to ask"
    assert answers[REVERSED].corr(answers["c2"]) < -0.3  # raw answers run against the scale…
    keyed = 6 - raw
    assert keyed.corr(answers["c2"]) == pytest.approx(
        answers["c1"].corr(answers["c2"]) * 0.70 / 0.85, abs=0.05
    )


def test_the_index_and_the_item_distributions_read_it_recoded(answers, frame):
    dims = pd.DataFrame([score(DEFINITION, row)[1] for row in answers.astype(int).to_dict("records")])
    expected = latent.expected_dimension_index(_model(), "care", 0.0)
    assert dims["care"].mean() == pytest.approx(float(expected), abs=1.0)
    rows = {row["code"]: row for row in item_distributions(frame)}
    assert rows[REVERSED]["reverse"] is True
    assert rows[REVERSED]["top"]["share"] == pytest.approx(rows["c2"]["top"]["share"], abs=0.04)
    assert rows[REVERSED]["mean_100"]["estimate"] == pytest.approx(
        rows["c2"]["mean_100"]["estimate"], abs=2.0
    )
    assert rows[REVERSED]["top"]["share"] > 0.6


def test_reliability_and_the_cfa_find_its_true_loading(frame):
    panel = psychometric_panel(frame)
    care = next(block for block in panel["reliability"] if block["dimension"] == "care")
    r_drop = {item["code"]: item["r_drop"] for item in care["items"]}
    assert r_drop[REVERSED] > 0.3
    assert r_drop[REVERSED] == pytest.approx(r_drop["c2"], abs=0.05)
    loadings = {row["item"]: row["std"] for row in panel["cfa"]["loadings"]}
    attenuated = 0.70 * latent.category_correlation(latent.LIKERT5_THRESHOLDS)
    assert loadings[REVERSED] == pytest.approx(attenuated, abs=0.05)
    assert loadings["c2"] == pytest.approx(attenuated, abs=0.05)


def test_ipa_and_drivers_give_it_the_importance_of_its_twin(frame):
    drivers = {row["code"]: row for row in key_drivers(frame, level="item", n_boot=0)["drivers"]}
    assert drivers[REVERSED]["r"] > 0.2
    assert drivers[REVERSED]["r"] == pytest.approx(drivers["c2"]["r"], abs=0.05)
    points = {p["code"]: p for p in ipa_grid(frame, level="item")["points"]}
    assert points[REVERSED]["importance"] == pytest.approx(points["c2"]["importance"], abs=0.05)
    assert points[REVERSED]["performance"] == pytest.approx(points["c2"]["performance"], abs=2.0)


def test_the_monthly_report_reads_it_as_its_twin(answers):
    specs = list(iter_items(DEFINITION))
    rows = {row.code: row for row in compute.item_rows(answers, specs)}
    assert rows[REVERSED].top == pytest.approx(rows["c2"].top, abs=0.04)
    assert rows[REVERSED].mean.mean == pytest.approx(rows["c2"].mean.mean, abs=2.0)
    scores = compute.item_scores(answers, [s for s in specs if s.scored and s.code != "overall"])
    outcome = compute.item_scores(answers, [s for s in specs if s.code == "overall"])["overall"]
    ipa = {row.code: row for row in compute.ipa_rows(scores, outcome, {})}
    assert ipa[REVERSED].importance > 0.2
    assert ipa[REVERSED].importance == pytest.approx(ipa["c2"].importance, abs=0.05)
