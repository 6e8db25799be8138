"""The monthly leadership report (领导月报, issue 15 item 5): the hospital's one report for its leaders —
satisfaction, complaints and the desk, follow-up, critical results, the checkup centre, the balanced
scorecard and the improvement actions (issue 21) — as a page, a Chinese PDF and an Excel file.

It grows out of the monthly satisfaction report (``/insights/report/``, which stays as the survey
section and is linked from here) and keeps its sentence rules (``insights.domain.report.sentences``):
a sentence states a change only when it is significant — each share KPI against last month with the
two-proportion test the effect check and the insights comparisons use (R ``prop.test(correct =
FALSE)``), Holm-corrected across the KPIs tested, below the insights minimum n (30 in either month)
not tested — or when a KPI is out of band (red on the hospital scorecard). When nothing changed
significantly, one sentence says so. The figures are the cockpit's (``selectors.cockpit``): one
definition per number. Each part shows only what the reader may see (their permissions and scope).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.core.types import Actor
from carebridge.insights.domain.analysis.names import UNIT_MINIMUM
from carebridge.lib.stats.errors import StatsInputError
from carebridge.performance.choices import OPEN_ACTION, ActionStatus, EffectVerdict
from carebridge.performance.domain.periods import Span
from carebridge.performance.models.scorecards import KpiUnit
from carebridge.performance.selectors.actions import action_list
from carebridge.performance.selectors.scores import KpiResult, scorecard_scores
from carebridge.reports.selectors.centre import PERMISSION as CENTRE_PERMISSION
from carebridge.reports.selectors.cockpit import cockpit

PERMISSION = "reports.view_leadership_report"
ALPHA = 0.05
BAND_LABELS = {"green": "绿", "amber": "黄", "red": "红", "": "缺数据", "missing": "缺数据"}
_UNITS: dict[str, str] = {
    KpiUnit.PERCENT: "%",
    KpiUnit.MINUTES: " 分钟",
    KpiUnit.HOURS: " 小时",
    KpiUnit.DAYS: " 天",
    KpiUnit.INDEX: " 分",
    KpiUnit.YUAN: " 元",
}
ACTIONS_LISTED = 30


@dataclass
class TileRow:
    code: str
    name: str
    unit: str
    value: float | None
    previous: float | None
    target: float
    numerator: float | None
    denominator: float | None
    score: float | None
    band: str
    definition: str
    p: float | None = None  # Holm-corrected p of the change against last month
    significant: bool = False

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.band, "缺数据")

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class AreaRow:
    code: str
    label: str
    detail_url: str
    tiles: list[TileRow]


@dataclass
class PerspectiveRow:
    name: str
    score: float | None
    band: str

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.band, "缺数据")


@dataclass
class CardSummary:
    name: str
    total: float | None
    band: str
    coverage: float
    perspectives: list[PerspectiveRow]
    url: str

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.band, "缺数据")


@dataclass
class ActionRow:
    title: str
    department: str
    owner: str
    due_date: dt.date
    status: str
    overdue: bool
    verdict: str
    sentence: str


@dataclass
class ActionsSummary:
    open: int = 0
    overdue: int = 0
    done: int = 0
    improved: int = 0
    abandoned: int = 0
    rows: list[ActionRow] = field(default_factory=list)
    url: str = ""


@dataclass
class LeadershipReport:
    hospital: str
    span: Span
    generated_at: dt.datetime
    summary: list[str] = field(default_factory=list)
    areas: list[AreaRow] = field(default_factory=list)
    scorecard: CardSummary | None = None
    actions: ActionsSummary = field(default_factory=ActionsSummary)
    satisfaction: Any = None  # the insights Report of the month, when the reader may analyse surveys
    # The survey section's first line: the report is being prepared or could not be (no sentences then),
    # or its sentences are those of a report computed before the month's answers changed (dated).
    satisfaction_note: str = ""
    satisfaction_url: str = ""
    centre_url: str = ""

    @property
    def month_label(self) -> str:
        return self.span.label

    @property
    def month_chinese(self) -> str:
        return self.span.chinese


def number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:.1f}{_UNITS.get(unit, '')}"


def _share_test(now: KpiResult, before: KpiResult) -> float | None:
    """p of this month's share against last month's, or None when it cannot be tested (not a share,
    below the minimum n in either month, or all 0 %/100 %)."""
    if now.unit != KpiUnit.PERCENT:
        return None
    counts = (now.numerator, now.denominator, before.numerator, before.denominator)
    if any(value is None for value in counts):
        return None
    hits, n, hits_before, n_before = (int(value or 0) for value in counts)
    if min(n, n_before) < UNIT_MINIMUM:
        return None
    from carebridge.lib.stats.compare import compare_proportions  # the statistics stack, on first use

    try:
        return compare_proportions([hits, hits_before], [n, n_before]).p
    except StatsInputError:
        return None


def kpi_sentences(tiles: list[TileRow], month: str) -> list[str]:
    """Out-of-band KPIs and significant changes; one sentence when nothing changed significantly."""
    out = [
        f"{t.name}{month}为 {number(t.value, t.unit)}，目标 {number(t.target, t.unit)}，处于红色区间。"
        for t in tiles
        if t.band == "red"
    ]
    tested = [t for t in tiles if t.p is not None]
    for t in tested:
        if not t.significant or t.change is None:
            continue
        direction = "上升" if t.change > 0 else "下降"
        out.append(
            f"{t.name}较上月（{number(t.previous, t.unit)}）显著{direction} {abs(t.change):.1f} 个百分点"
            f"（两比例检验，Holm 校正后 p={t.p:.3f}）。"
        )
    if tested and not any(t.significant for t in tested):
        out.append("与上月相比，各项比例指标的变化均无统计学意义（p≥0.05），不宜解读为升降。")
    return out


def _tiles(user: Actor, span: Span, now: dt.datetime | None) -> tuple[Any, list[AreaRow]]:
    board = cockpit(user=user, span=span, now=now)
    if board.card is None:
        return board, []
    before = scorecard_scores(scorecard=board.card, span=span.previous(), now=now)
    previous = {k.code: k for k in before.kpis()}
    areas, tested = [], []
    for block in board.areas:
        rows = []
        for tile in block.tiles:
            kpi = tile.kpi
            row = TileRow(
                code=kpi.code,
                name=kpi.name,
                unit=kpi.unit,
                value=kpi.value,
                previous=previous[kpi.code].value if kpi.code in previous else None,
                target=kpi.target,
                numerator=kpi.numerator,
                denominator=kpi.denominator,
                score=kpi.score,
                band=kpi.band,
                definition=kpi.definition,
            )
            if kpi.code in previous:
                row.p = _share_test(kpi, previous[kpi.code])
                if row.p is not None:
                    tested.append(row)
            rows.append(row)
        detail = block.detail_url
        if block.area.code == "checkup":
            detail = reverse("reports:centre") if user.has_perm(CENTRE_PERMISSION) else detail
        areas.append(AreaRow(block.area.code, str(block.area.label), detail, rows))
    if tested:
        from carebridge.lib.stats.compare import p_adjust  # the statistics stack, on first use

        adjusted = p_adjust([row.p for row in tested if row.p is not None], method="holm")
        for row, p in zip(tested, adjusted, strict=True):
            row.p, row.significant = float(p), bool(p < ALPHA)
    return board, areas


def _actions(user: Actor) -> ActionsSummary:
    if not user.has_perm("performance.view_improvementaction"):
        return ActionsSummary()
    rows = action_list(user=user)
    today = timezone.localdate()
    statuses, verdicts = dict(ActionStatus.choices), dict(EffectVerdict.choices)
    summary = ActionsSummary(url=reverse("performance:action_list"))
    listed: list[ActionRow] = []
    for action in rows.select_related("owner", "department"):
        is_open = action.status in OPEN_ACTION
        overdue = is_open and action.due_date < today
        summary.open += is_open
        summary.overdue += overdue
        summary.done += action.status == ActionStatus.DONE
        summary.improved += action.status == ActionStatus.DONE and action.verdict == EffectVerdict.IMPROVED
        summary.abandoned += action.status == ActionStatus.ABANDONED
        # Listed: every open one (the late first) and those closed with an effect check.
        if is_open or action.verdict:
            listed.append(
                ActionRow(
                    title=action.title,
                    department=action.department.name,
                    owner=action.owner.name,
                    due_date=action.due_date,
                    status=str(statuses.get(action.status, action.status)),
                    overdue=overdue,
                    verdict=str(verdicts.get(action.verdict, "")) if action.verdict else "",
                    sentence=str((action.effect or {}).get("sentence", "")),
                )
            )
    listed.sort(key=lambda a: (not a.overdue, a.verdict != "", a.due_date))
    summary.rows = listed[:ACTIONS_LISTED]
    return summary


def _satisfaction(user: Actor, span: Span, now: dt.datetime | None) -> tuple[Any, list[str], str]:
    """The month's survey report (``services.reports``: a large month's is computed by a worker, the
    last one computed shown meanwhile), its change sentences, and the note on it (``satisfaction_note``)."""
    if not user.has_perm("surveys.analyse_surveys"):
        return None, [], ""
    from django.core.exceptions import ValidationError

    from carebridge.insights.domain.report import sentences
    from carebridge.insights.services.reports import report_show

    try:
        shown = report_show(user=user, month=span.label, now=now)
    except ValidationError:
        return None, [], ""
    report = shown.report
    if not shown.computed:
        if shown.error:
            return report, [], f"满意度测评月报暂时无法生成：{shown.error}"
        return report, [], "本月答卷较多，满意度测评月报正在后台生成，稍后刷新即可看到。"
    if not report.instrument:
        return report, [], ""
    note = ""
    if not shown.current:  # the last report computed, for answers since changed: said, and dated
        at = timezone.localtime(report.generated_at).strftime("%Y-%m-%d %H:%M")
        note = f"以下满意度内容依据 {at} 生成的月报；此后本月答卷有变化，新的月报正在后台生成。"
    if shown.error:
        note += f"月报未能更新：{shown.error}"
    # The survey report's change sentences follow its index sentence there; here they stand among the
    # KPIs' own sentences, so each names what changed.
    subject = f"{report.instrument.name}综合指数"
    return report, [subject + sentence for sentence in sentences.change_sentences(report.changes)], note


def leadership_report(*, user: Actor, span: Span, now: dt.datetime | None = None) -> LeadershipReport:
    """The report of the month ``span`` within the user's permissions and scope."""
    hospital = staff_hospital(user=user)
    with translation.override("zh-hans"):
        board, areas = _tiles(user, span, now)
        report = LeadershipReport(
            hospital=hospital.name, span=span, generated_at=now or timezone.now(), areas=areas
        )
        if board.card is not None and board.result is not None:
            report.scorecard = CardSummary(
                name=board.card.name,
                total=board.result.total,
                band=board.result.band,
                coverage=board.result.coverage,
                perspectives=[PerspectiveRow(p.name, p.score, p.band) for p in board.result.perspectives],
                url=reverse("performance:scorecard", args=[board.card.pk]),
            )
        report.actions = _actions(user)
        report.satisfaction, satisfaction_sentences, report.satisfaction_note = _satisfaction(user, span, now)
    if report.satisfaction is not None:
        report.satisfaction_url = f"{reverse('insights:report')}?month={span.label}"
    if user.has_perm(CENTRE_PERMISSION):
        report.centre_url = f"{reverse('reports:centre')}?period={span.label}"
    tiles = [tile for area in areas for tile in area.tiles]
    summary = []
    if report.scorecard is not None and report.scorecard.total is not None:
        summary.append(
            f"{span.chinese}全院平衡计分卡总分 {report.scorecard.total:.1f} 分"
            f"（{report.scorecard.band_label}色区间）。"
        )
    summary += kpi_sentences(tiles, span.chinese)
    summary += satisfaction_sentences
    if report.actions.overdue:
        summary.append(f"改进措施 {report.actions.overdue} 项已逾期未完成，请督促责任人。")
    report.summary = summary
    return report
