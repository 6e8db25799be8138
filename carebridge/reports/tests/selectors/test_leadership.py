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


@pytest.fixture
def october(hospital, quality_officer_qian, cardiology, paediatrics) -> str:
    """The insights report's data: October 2026, 180 responses hospital-wide."""
    from carebridge.insights.tests.support.report_data import MONTH, make_report_data

    make_report_data(hospital, quality_officer_qian, cardiology, paediatrics)
    return MONTH


@pytest.fixture
def large(settings, monkeypatch):
    """October (180 responses) is a worker's to compute; the builds sent are recorded."""
    from carebridge.insights.tests.support.report_tasks import record_report_builds

    return record_report_builds(settings, monkeypatch)


@pytest.mark.django_db
def test_a_large_months_survey_report_is_prepared_by_a_worker_not_on_the_request(
    executive_zhao, october, large, django_capture_on_commit_callbacks, client
):
    """The leadership report reads the month's survey report as its own page does: a month too large to
    compute on the request says so in the report until a worker has computed it."""
    from carebridge.insights.tests.support.report_tasks import work

    span = month_span(dt.date(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        waiting = leadership_report(user=executive_zhao, span=span)
    assert waiting.satisfaction_note == "本月答卷较多，满意度测评月报正在后台生成，稍后刷新即可看到。"
    assert waiting.satisfaction.summary == []
    assert [kwargs["month"] for _name, kwargs in large] == [october]
    client.force_login(executive_zhao)
    page = client.get(f"/reports/leadership/?period={october}").content.decode()
    assert 'id="satisfaction-note"' in page and "满意度测评月报正在后台生成" in page
    assert len(large) == 1  # the page asked for the same report: not sent again

    work(large)  # what the worker does
    ready = leadership_report(user=executive_zhao, span=span)
    assert ready.satisfaction_note == ""
    assert ready.satisfaction.summary and ready.satisfaction.summary[0].startswith("2026年10月")

    from carebridge.surveys.models import Response

    Response.objects.filter(submitted_at__year=2026, submitted_at__month=10).order_by("id").first().delete()
    stale = leadership_report(user=executive_zhao, span=span)  # the answers changed since: said, dated
    assert (
        stale.satisfaction_note.startswith("以下满意度内容依据 ")
        and "新的月报正在后台生成" in stale.satisfaction_note
    )
    assert stale.satisfaction.summary == ready.satisfaction.summary
