"""The leadership report's rules on built numbers: a share KPI's change is tested against last month
with the two-proportion test (R ``prop.test(correct = FALSE)``) and Holm's correction, below 30 answers in
either month it is not tested; a sentence only for a red KPI or a significant change, one sentence when
nothing changed significantly; the improvement actions counted open, overdue, done and improved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from scipy.stats import chi2_contingency

from carebridge.performance.choices import ActionSource, ActionStatus, EffectVerdict
from carebridge.performance.domain.periods import month_span
from carebridge.performance.models import ImprovementAction
from carebridge.performance.selectors.scores import KpiResult
from carebridge.reports.selectors.leadership import TileRow, _share_test, kpi_sentences, leadership_report


def kpi(code: str, hits: int, n: int, *, unit: str = "percent", band: str = "green") -> KpiResult:
    return KpiResult(
        assignment_id=1, code=code, name=code, unit=unit, direction="up", source="computed", definition="",
        weight=50, target=95, minimum=60, green_from=90, amber_from=80, rule="linear",
        value=100 * hits / n if n else None, numerator=hits, denominator=n, score=None, band=band,
    )  # fmt: skip


def test_a_share_is_tested_against_last_month_as_r_prop_test_without_correction():
    p = _share_test(kpi("s", 38, 40), kpi("s", 20, 40))
    expected = chi2_contingency([[38, 2], [20, 20]], correction=False)[1]
    assert p == pytest.approx(expected, rel=1e-9) and p < 0.001


def test_below_thirty_answers_or_for_a_mean_nothing_is_tested():
    assert _share_test(kpi("s", 28, 29), kpi("s", 10, 40)) is None
    assert _share_test(kpi("s", 38, 40, unit="index"), kpi("s", 20, 40, unit="index")) is None


def _tile(
    code: str, value: float, previous: float, *, p: float | None, significant: bool, band: str = "green"
):
    return TileRow(
        code=code, name=code, unit="percent", value=value, previous=previous, target=95.0,
        numerator=None, denominator=None, score=None, band=band, definition="", p=p, significant=significant,
    )  # fmt: skip


def test_sentences_only_for_red_kpis_and_significant_changes():
    tiles = [
        _tile("满意率", 95.0, 50.0, p=0.0001, significant=True),
        _tile("随访率", 80.0, 78.0, p=0.6, significant=False),
        _tile("回访率", 40.0, 41.0, p=None, significant=False, band="red"),
    ]
    sentences = kpi_sentences(tiles, "2025年3月")
    assert sentences[0].startswith("回访率2025年3月为 40.0%，目标 95.0%，处于红色区间")
    assert any("满意率较上月（50.0%）显著上升 45.0 个百分点" in s for s in sentences)
    assert not any("随访率" in s for s in sentences)
    calm = kpi_sentences([_tile("随访率", 80.0, 78.0, p=0.6, significant=False)], "2025年3月")
    assert calm == ["与上月相比，各项比例指标的变化均无统计学意义（p≥0.05），不宜解读为升降。"]


@pytest.mark.django_db
def test_the_actions_are_counted_and_the_late_ones_listed_first(executive_zhao, hospital, paediatrics):
    from carebridge.core.models import Staff

    owner = Staff.objects.create(hospital=hospital, name="护士长", kind="nurse")
    today = timezone.localdate()

    def action(title, status, due, verdict="", sentence=""):
        return ImprovementAction.objects.create(
            hospital=hospital, department=paediatrics, title=title, owner=owner, due_date=due, status=status,
            source=ActionSource.KPI, verdict=verdict, effect={"sentence": sentence} if sentence else {},
        )  # fmt: skip

    action("缩短候诊时间", ActionStatus.DOING, today - dt.timedelta(days=3))
    action("出院指导卡", ActionStatus.PLAN, today + dt.timedelta(days=20))
    action("呼叫铃响应", ActionStatus.DONE, today - dt.timedelta(days=40), EffectVerdict.IMPROVED, "有改善")
    action("夜间安静", ActionStatus.DONE, today - dt.timedelta(days=50), EffectVerdict.NO_CHANGE, "无变化")
    action("停车指引", ActionStatus.ABANDONED, today - dt.timedelta(days=60))
    report = leadership_report(user=executive_zhao, span=month_span(today.replace(day=1)))
    a = report.actions
    assert (a.open, a.overdue, a.done, a.improved, a.abandoned) == (2, 1, 2, 1, 1)
    assert [row.title for row in a.rows] == ["缩短候诊时间", "出院指导卡", "夜间安静", "呼叫铃响应"]
    assert a.rows[3].verdict and a.rows[3].verdict != EffectVerdict.IMPROVED  # a label, not a code
    assert a.rows[3].sentence == "有改善"
    assert "改进措施 1 项已逾期未完成，请督促责任人。" in report.summary
