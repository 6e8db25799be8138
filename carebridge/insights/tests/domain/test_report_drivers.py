"""The report's key drivers explain the global rating by the *other* dimensions: never the rating itself
nor a scored dimension that holds it (the demo's "总体评价" took a third of the weight at r = .96).
The comments quoted under a problem speak of that problem."""

from __future__ import annotations

import copy

import pytest

from carebridge.insights.selectors.report_document import build_report
from carebridge.insights.tests.support.report_data import DEFINITION, MONTH, make_report_data
from carebridge.lib.stats.text import analyze_comment

pytestmark = pytest.mark.django_db


def _scored_overall() -> dict:
    definition = copy.deepcopy(DEFINITION)
    overall = next(d for d in definition["dimensions"] if d["code"] == "overall")
    overall.pop("scored")
    overall["weight"] = 1
    overall["code"] = "overall_rating"  # as the library's inpatient instrument names it
    return definition


@pytest.fixture
def report(hospital, quality_officer_qian, cardiology, paediatrics):
    """As the quality office reads it: the version that quotes comments."""
    make_report_data(hospital, quality_officer_qian, cardiology, paediatrics, definition=_scored_overall())
    return build_report(user=quality_officer_qian, month=MONTH)


def test_a_scored_dimension_holding_the_outcome_is_not_a_driver(report):
    assert report.outcome == "“总体而言您对本次住院满意吗”"
    assert "overall_rating" in {row.code for row in report.dimensions}  # it is scored and shown…
    drivers = {row.code for row in report.drivers}
    assert drivers == {"doctors", "nurses", "waiting", "environment"}  # …but does not explain itself
    assert sum(row.weight_pct for row in report.drivers) == pytest.approx(100.0)
    assert report.drivers[0].title == "等候时间"
    assert "overall" not in {row.code for row in report.ipa}
    assert "overall" not in {problem.code for problem in report.problems}


def test_quoted_comments_speak_of_the_item_they_illustrate_and_are_quoted_once(report):
    quoted = [c for problem in report.problems for c in problem.comments]
    assert quoted, "the waiting items have comments about waiting"
    assert len(quoted) == len(set(quoted))
    for problem in report.problems:
        topics = set(analyze_comment(problem.text).topics)
        for comment in problem.comments:
            assert topics & set(analyze_comment(comment).topics), (problem.text, comment)
            assert analyze_comment(comment).polarity != "positive", comment
