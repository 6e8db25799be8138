"""``build_report``: everything the monthly report shows, computed once for the page, PDF and Excel.

The reads are those of ``selectors.report`` (all from ``responses_visible``), the response rate that of
``selectors.rates``, the statistics those of ``domain.report.compute``. The three outputs read the
same :class:`Report`, so a number in the Excel file is the number on the page. A report is cached
under the user's scope, the month, the instrument, the language and a fingerprint of the month's
responses (count and last id), so a new response makes a new report and the PDF after the page costs
only its rendering. A large month's report is computed by a worker and kept where the web processes
read it (``services.reports``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from carebridge.core.models import Hospital
from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.insights.domain.report import compute, sentences, svg
from carebridge.insights.selectors.aggregates import monthly_cells
from carebridge.insights.selectors.analysis.selection import COMMENTS_PERMISSION, data_version
from carebridge.insights.selectors.rates import WaveRate, pooled_rate, response_rates
from carebridge.insights.selectors.report import (
    InstrumentCount,
    RecoverySummary,
    hospital_zone,
    instruments_answered,
    month_scores,
    parse_month,
    recovery_summary,
    report_departments,
    report_frame,
    report_hospital,
    response_frame,
)
from carebridge.insights.selectors.responses import responses_visible
from carebridge.lib.periods import Month, add_months
from carebridge.surveys.choices import InstrumentKind
from carebridge.surveys.domain.instruments import ItemSpec, iter_items, localised
from carebridge.surveys.models import Instrument, InstrumentVersion, Wave

CACHE_SECONDS = 3600
TREND_MONTHS = 13


@dataclass
class Report:
    """The monthly report of one instrument for the user's scope (hospital or own departments)."""

    hospital: str
    scope_label: str
    month: Month
    instrument: Instrument | None
    instruments: list[InstrumentCount]
    generated_at: dt.datetime
    # Whether the report quotes patients' (masked) comments: for readers with ``insights.view_comments``
    # (the quality office and department heads by default), as on the comments tab; others get the
    # topics and their counts. Off unless ``report_plan`` finds the right.
    quotes: bool = False
    n: int = 0
    overall: compute.Estimate | None = None
    changes: list[compute.Change] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    problems: list[compute.Problem] = field(default_factory=list)
    problem_sentences: list[str] = field(default_factory=list)
    dimensions: list[compute.DimensionRow] = field(default_factory=list)
    items: list[compute.ItemRow] = field(default_factory=list)
    outcome: str = ""
    drivers: list[compute.DriverRow] = field(default_factory=list)
    drivers_r2: float | None = None
    ipa: list[compute.IpaRow] = field(default_factory=list)
    departments: compute.Departments = field(default_factory=compute.Departments)
    # The period the department comparison covers: the month, or the last 12 months when the month
    # alone leaves fewer than two departments with enough answers (as public reporting pools quarters).
    departments_period: str = ""
    adjustment_sentences: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    topics: list[compute.TopicRow] = field(default_factory=list)
    polarity: dict[str, int] = field(default_factory=dict)
    recovery: RecoverySummary | None = None
    rates: list[WaveRate] = field(default_factory=list)
    versions: list[tuple[InstrumentVersion, int]] = field(default_factory=list)
    trend: list[tuple[str, float, float, float, int]] = field(default_factory=list)
    methods: list[tuple[str, str]] = field(default_factory=list)
    charts: dict[str, SafeString] = field(default_factory=dict)

    @property
    def quotes_note(self) -> str:
        """What the report says in place of the quotes its reader may not read ("" when it quotes)."""
        return "" if self.quotes else QUOTES_WITHHELD

    @property
    def response_rate(self) -> float | None:
        """The month's waves pooled, by the one definition of ``selectors.rates``."""
        return pooled_rate(self.rates)

    @property
    def response_rate_pct(self) -> float | None:
        rate = self.response_rate
        return None if rate is None else rate * 100

    @property
    def recovery_in_time_pct(self) -> float | None:
        if self.recovery is None or not self.recovery.closed:
            return None
        return self.recovery.closed_in_time / self.recovery.closed * 100


# Said by a report whose reader may not read comments (``Report.quotes``), in its methods and topics.
QUOTES_WITHHELD = "患者原话仅向可查看评论的角色（默认为质量管理办公室与科主任）显示，本报告只列主题与条数。"


def _scope_key(user: Actor) -> str:
    scope = scope_for(user)
    departments = "all" if scope.department_ids is None else ",".join(map(str, sorted(scope.department_ids)))
    return hashlib.sha256(departments.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ReportPlan:
    """What a request for a report resolves to before anything is computed: the report's ``shell`` (its
    hospital, scope, month, instrument and the instruments answered, nothing computed yet), the cache key
    of this report for the month's answers as they are (``key``: the ``fingerprint`` of those answers
    is in it) and for whichever answers it was last computed on (``latest_key``, ``services.reports``),
    and how many responses the month has in the scope. A report has two versions, quoting comments and
    not (one computation makes both: :func:`report_versions`); ``quotes`` is the reader's right, and
    ``key`` and ``latest_key`` name the reader's version; ``base_key`` names the report whatever the
    version (its build lock, ``services.reports``)."""

    shell: Report
    base_key: str
    quotes: bool
    fingerprint: str
    responses: int
    hospital: Hospital
    departments: list[Any]
    now: dt.datetime

    def latest_key_of(self, quotes: bool) -> str:
        return f"{self.base_key}:{'quotes' if quotes else 'counts'}"

    def key_of(self, quotes: bool) -> str:
        return f"{self.latest_key_of(quotes)}:{self.fingerprint}"

    @property
    def latest_key(self) -> str:
        return self.latest_key_of(self.quotes)

    @property
    def key(self) -> str:
        return self.key_of(self.quotes)


def report_plan(
    *, user: Actor, month: str | None, instrument: str | None = None, now: dt.datetime | None = None
) -> ReportPlan:
    """Resolve a report request: ``month`` (``YYYY-MM``; default last month), ``instrument`` (its code;
    default the instrument most answered that month), within the user's data scope. Bad input raises
    ``ValidationError`` with a field error."""
    now = now or timezone.now()
    hospital = report_hospital(user=user)
    zone = hospital_zone(hospital)
    period = parse_month(month, zone=zone, now=now)
    responses = responses_visible(user=user, hospital=hospital)
    # The month's responses counted as an analysis counts them (the settled ones once per aggregate
    # refresh): at 10,000,000 responses two scans of the month cost more than the cached page.
    fingerprint = data_version(responses.filter(submitted_at__gte=period.start, submitted_at__lt=period.end))
    scope_key = _scope_key(user)
    answered_key = f"insights-report-answered:{hospital.pk}:{scope_key}:{period.label}:{fingerprint}"
    answered = cache.get(answered_key)
    if answered is None:
        answered = instruments_answered(responses=responses, month=period)
        cache.set(answered_key, answered, CACHE_SECONDS)
    # Default: the inpatient experience survey when it was answered, else the most answered one.
    inpatient = [a.instrument for a in answered if a.instrument.kind == InstrumentKind.INPATIENT]
    chosen = inpatient[0] if inpatient else (answered[0].instrument if answered else None)
    if instrument:
        matches = [a.instrument for a in answered if a.instrument.code == instrument]
        if not matches:
            raise ValidationError({"instrument": _("No responses to this instrument in that month.")})
        chosen = matches[0]
    # The language too: the methods note names the sampling and the modes in it. "v2": the form of a
    # kept ``Report``; a change to the class changes it, so no report of the old form is read back.
    language = get_language() or "zh-hans"
    quotes = user.has_perm(COMMENTS_PERMISSION)
    base_key = "insights-report:v2:" + ":".join(
        [str(hospital.pk), scope_key, period.label, chosen.code if chosen else "-", language]
    )
    departments = report_departments(user=user, hospital=hospital)
    scope = scope_for(user)
    shell = Report(
        hospital=hospital.name,
        scope_label="全院" if scope.department_ids is None else "、".join(d.name for d in departments) or "—",
        month=period,
        instrument=chosen,
        instruments=answered,
        generated_at=now,
        quotes=quotes,
    )
    return ReportPlan(
        shell=shell,
        base_key=base_key,
        quotes=quotes,
        fingerprint=fingerprint,
        responses=int(fingerprint.split(":", 1)[0]),
        hospital=hospital,
        departments=list(departments),
        now=now,
    )


def report_versions(plan: ReportPlan, *, user: Actor) -> dict[bool, Report]:
    """Compute the planned report once and return both its versions: ``True`` quoting the masked
    comments, for readers with ``insights.view_comments``, and ``False`` without (:func:`without_quotes`).
    Which one a reader gets is ``plan.quotes``; the plan's shell is left as it was."""
    shell = plan.shell
    report = Report(
        hospital=shell.hospital,
        scope_label=shell.scope_label,
        month=shell.month,
        instrument=shell.instrument,
        instruments=shell.instruments,
        generated_at=shell.generated_at,
        quotes=True,
    )
    if report.instrument is not None:
        _fill(
            report,
            user=user,
            hospital=plan.hospital,
            responses=responses_visible(user=user, hospital=plan.hospital),
            zone=hospital_zone(plan.hospital),
            names={d.pk: d.name for d in plan.departments},
            now=plan.now,
        )
    return {True: report, False: without_quotes(report)}


def without_quotes(report: Report) -> Report:
    """The report as a reader without ``insights.view_comments`` reads it: the same problems and
    comment topics with their counts, no comment quoted, and the methods saying why."""
    problems = [replace(p, comments=()) for p in report.problems]
    return replace(
        report,
        quotes=False,
        problems=problems,
        problem_sentences=[sentences.problem_sentence(i, p) for i, p in enumerate(problems, start=1)],
        topics=[replace(t, examples=()) for t in report.topics],
        methods=[
            (name, text + QUOTES_WITHHELD if name == "评论分析" else text) for name, text in report.methods
        ],
    )


def build_report(
    *, user: Actor, month: str | None, instrument: str | None = None, now: dt.datetime | None = None
) -> Report:
    """The report of ``month`` (``YYYY-MM``; default last month) for ``instrument`` (its code; default
    the instrument most answered that month), within the user's data scope, computed on this request
    whatever its size (pages go through ``services.reports.report_show``). Bad input raises
    ``ValidationError``."""
    return report_cached(report_plan(user=user, month=month, instrument=instrument, now=now), user=user)


def report_cached(plan: ReportPlan, *, user: Actor) -> Report:
    """The reader's version of the planned report from this process's cache for the month's answers as
    they are, else computed now (both versions) and kept there for ``CACHE_SECONDS``."""
    cached = cache.get(plan.key)
    if isinstance(cached, Report):
        return cached
    return report_cached_versions(plan, user=user)[plan.quotes]


def report_cached_versions(plan: ReportPlan, *, user: Actor) -> dict[bool, Report]:
    """Both versions of the planned report, as :func:`report_cached` keeps them."""
    keys = {quotes: plan.key_of(quotes) for quotes in (True, False)}
    cached = cache.get_many(list(keys.values()))
    if all(isinstance(cached.get(key), Report) for key in keys.values()):
        return {quotes: cached[key] for quotes, key in keys.items()}
    versions = report_versions(plan, user=user)
    cache.set_many({keys[quotes]: report for quotes, report in versions.items()}, CACHE_SECONDS)
    return versions


def _latest_definition(
    instrument: Instrument, version_ids: list[int]
) -> tuple[list[InstrumentVersion], dict[str, Any]]:
    versions = list(InstrumentVersion.objects.filter(pk__in=version_ids).order_by("-number"))
    return versions, versions[0].definition


def _fill(
    report: Report,
    *,
    user: Actor,
    hospital: Hospital,
    responses: Any,
    zone: Any,
    names: dict[int, str],
    now: dt.datetime,
) -> None:
    """Compute every section of ``report`` (its instrument is set) from the scoped responses."""
    instrument = report.instrument
    if instrument is None:
        return
    month = report.month
    version_ids = list(
        responses.filter(
            submitted_at__gte=month.start, submitted_at__lt=month.end, version__instrument=instrument
        )
        .values_list("version_id", flat=True)
        .distinct()
    )
    versions, definition = _latest_definition(instrument, version_ids)
    items: list[ItemSpec] = list(iter_items(definition))
    frame = response_frame(responses=responses, month=month, instrument=instrument, items=items)
    report.n = len(frame)
    report.versions = [(v, int((frame["version_id"] == v.pk).sum())) for v in versions]
    waves = list(Wave.objects.filter(pk__in=frame["wave_id"].dropna().astype(int).unique().tolist()))
    report.rates = response_rates(user=user, wave_ids=[w.pk for w in waves])
    min_group = max([w.min_report_group for w in waves if w.anonymous] or [1])
    titles = {
        d["code"]: localised(d.get("title"), "zh-hans")
        for d in definition.get("dimensions", [])
        if d.get("scored", True)
    }
    instrument_name = instrument.name

    report.overall = compute.estimate(frame["score"])
    previous = month_scores(responses=responses, instrument=instrument, month=month.shifted(-1, zone))
    last_year = month_scores(responses=responses, instrument=instrument, month=month.shifted(-12, zone))
    for label, other, series in (
        ("上月", month.shifted(-1, zone), previous),
        ("去年同期", month.shifted(-12, zone), last_year),
    ):
        found = compute.change(label, other.chinese, frame["score"], series)
        if found is not None:
            report.changes.append(found)
    report.dimensions = compute.dimensions(frame, titles)
    report.items = compute.item_rows(frame, items)
    comment_columns = [c for c in frame.columns if c.startswith("text:")]
    # The department comparison reads the month as the benchmark page does (one loader, one adjustment).
    month_frame = report_frame(responses=responses, month=month, instrument=instrument)
    report.departments = compute.departments(month_frame, names, min_n=compute.UNIT_MINIMUM)
    report.departments_period = month.chinese
    if report.departments.ranked < 2:  # too few answers this month to rank: pool the last 12 months
        first = month.shifted(-11, zone)
        year = Month(first_day=first.first_day, start=first.start, end=month.end)
        pooled = report_frame(responses=responses, month=year, instrument=instrument)
        wider = compute.departments(pooled, names, min_n=compute.UNIT_MINIMUM)
        if wider.adjustment is not None:
            report.departments = wider
            report.departments_period = f"{first.chinese}至{month.chinese}（近12个月合并）"
    hidden = [row for row in report.departments.rows if row.n < min_group]
    report.departments.rows = [row for row in report.departments.rows if row.n >= min_group]
    _drivers_and_problems(report, frame, items, titles, names)
    report.adjustment_sentences = sentences.adjustment_sentences(report.departments)
    report.topics, report.polarity = (
        compute.topics(frame, comment_columns) if report.n >= min_group else ([], {})
    )
    report.recovery = recovery_summary(responses=responses, month=month, now=now)
    report.trend = _trend(user, hospital, instrument, month)

    if report.overall is not None:
        report.summary.append(sentences.overall_sentence(instrument_name, month.chinese, report.overall))
    report.summary += sentences.change_sentences(report.changes)
    report.problem_sentences = [
        sentences.problem_sentence(i, p) for i, p in enumerate(report.problems, start=1)
    ]
    report.warnings = _warnings(report, hidden, min_group)
    report.methods = _methods(report, waves)
    _charts(report)


def _drivers_and_problems(
    report: Report, frame: pd.DataFrame, items: list[ItemSpec], titles: dict[str, str], names: dict[int, str]
) -> None:
    """Drivers of the global rating (or of the index when the instrument asks none), the IPA grid and
    the three problems to fix first."""
    texts = {s.code: s.label("zh-hans") for s in items}
    outcome_spec = compute.choose_outcome(items)
    scores = compute.item_scores(frame, [s for s in items if s.scored])
    attributes = dict(titles)
    if outcome_spec is not None and outcome_spec.code in frame:
        outcome = compute.item_scores(frame, [outcome_spec])[outcome_spec.code]
        report.outcome = f"“{outcome_spec.label('zh-hans')}”"
        # The outcome cannot explain itself: neither it, nor its dimension (a scored "总体评价" holding the
        # global rating correlated .96 with it and took a third of the weight), nor that dimension's
        # other items are drivers or IPA attributes — as on the analysis pages (``driver_data``).
        attributes.pop(outcome_spec.dimension, None)
        same = [s.code for s in items if s.dimension == outcome_spec.dimension]
        scores = scores.drop(columns=[outcome_spec.code, *same], errors="ignore")
    else:
        outcome = frame["score"]
        report.outcome = "综合指数"
    performance = {row.code: row.estimate.mean for row in report.dimensions}
    report.drivers, report.drivers_r2 = compute.drivers(frame, attributes, outcome, performance)
    report.ipa = compute.ipa_rows(scores, outcome, texts)
    comment_columns = [c for c in frame.columns if c.startswith("text:")]
    # What each item is about when its own text names no topic: its dimension's title.
    about = {s.code: titles.get(s.dimension, "") for s in items}
    report.problems = compute.problems(report.ipa, scores, frame, names, comment_columns, about=about)


def _trend(
    user: Actor, hospital: Hospital, instrument: Instrument, month: Month
) -> list[tuple[str, float, float, float, int]]:
    """The 13 months up to the report's: closed months from the stored aggregate (``monthly_cells``)."""
    cells = monthly_cells(
        user=user,
        hospital=hospital,
        first=add_months(month.first_day, 1 - TREND_MONTHS),
        last=month.first_day,
        by_department=False,
        instrument=instrument,
    )
    out = []
    for cell in cells:
        interval = cell.ci
        if cell.mean is not None and interval is not None:
            out.append((f"{cell.month:%Y-%m}", cell.mean, interval[0], interval[1], cell.n))
    return out


def _warnings(report: Report, hidden: list[compute.DepartmentRow], min_group: int) -> list[str]:
    out = []
    if report.n < compute.OVERALL_MINIMUM:
        out.append(
            f"本月仅 {report.n} 份答卷（少于 {compute.OVERALL_MINIMUM} 份），"
            "综合指数的置信区间较宽，请谨慎解读。"
        )
    out += sentences.small_group_sentences(report.departments, compute.UNIT_MINIMUM)
    if hidden:
        out.append(f"匿名调查中答卷少于 {min_group} 份的 {len(hidden)} 个科室不予显示，以免识别答卷人。")
    for row in report.items:
        if row.n < compute.OVERALL_MINIMUM:
            out.append(f"条目“{row.text}”仅 {row.n} 人作答（少于 {compute.OVERALL_MINIMUM}），分布仅供参考。")
    if report.departments.note:
        out.append(f"本月未做病例组合调整：{report.departments.note}")
    return out


def _methods(report: Report, waves: list[Wave]) -> list[tuple[str, str]]:
    versions = "；".join(
        f"第 {v.number} 版（{n} 份，内容哈希 SHA-256 {v.content_hash[:16]}…）" for v, n in report.versions
    )
    sampling = "；".join(
        f"{w.name}：{w.get_sampling_display()}{f'，样本量 {w.sample_size}' if w.sample_size else ''}"
        f"{'，匿名' if w.anonymous else ''}"
        for w in waves
    )
    timing = "；".join(
        f"{w.name}：出院后 {w.min_hours_after_discharge} 小时至 {w.max_days_after_discharge} 天内邀请，"
        f"免打扰时段 {w.quiet_start:%H:%M}–{w.quiet_end:%H:%M}，"
        f"同一人 {w.min_days_between_surveys} 天内至多一次"
        for w in waves
    )
    adjustment = report.departments.adjustment
    if adjustment is not None:
        adjusters = "、".join(
            [
                *(
                    sentences.ADJUSTER_NAMES.get(name, name)
                    for name in (*adjustment.numeric, *adjustment.categorical)
                ),
                *(["调查方式"] if adjustment.mode else []),
            ]
        )
        model = (
            f"综合指数对调整变量（{adjusters}）做含科室固定效应的最小二乘回归（HCAHPS 方法），"
            "调整后得分 = 原始均值 −（科室预测均值 − 全院预测均值）；"
            f"R²={adjustment.r2:.3f}，n={adjustment.n}，"
            f"缺失剔除 {adjustment.n_dropped} 份。"
        )
    else:
        model = "本月未做调整（见提示）。"
    return [
        ("测评工具", f"{report.instrument.name if report.instrument else ''}：{versions}"),
        ("抽样", sampling or "—"),
        ("调查时机", timing or "—"),
        (
            "指数与权重",
            "各条目线性换算为 0–100 分（反向条目已反转），"
            "按工具定义的维度→指标→条目权重加权合成综合指数与维度指数；"
            "答卷之间不加权（各层按抽样设计自加权）。",
        ),
        ("置信区间", "均值用 t 分布 95% 置信区间；比例（顶部框）用 Wilson 区间；月度比较用 Welch t 检验。"),
        ("病例组合调整", model),
        (
            "科室比较",
            "每个科室与全院其他科室比较（Welch t 检验，Holm 多重比较校正，α=0.05）；"
            f"答卷少于 {compute.UNIT_MINIMUM} 份的科室不排名。",
        ),
        (
            "驱动因素与重点问题",
            f"驱动因素：维度指数对{report.outcome}的相对权重（Johnson 法，占 R² 百分比）；"
            "重要性–表现分析：重要性为条目与总体评价的相关，表现为条目平均分，以均值为分界。",
        ),
        ("评论分析", "jieba 分词加医院词典，按主题词典归类并判断褒贬；示例评论已遮盖电话和身份证号。"),
    ]


def _charts(report: Report) -> None:
    charts: dict[str, SafeString] = {}
    if report.trend:
        charts["trend"] = svg.trend_line([t[:4] for t in report.trend], title="综合指数月度趋势")
    if report.dimensions:
        charts["dimensions"] = svg.interval_bars(
            [(d.title, d.estimate.mean, d.estimate.low, d.estimate.high) for d in report.dimensions],
            title="维度指数（95% 置信区间）",
            reference=report.overall.mean if report.overall else None,
        )
    if report.items:
        charts["items"] = svg.stacked_boxes(
            [(i.text, i.bottom, i.middle, i.top) for i in report.items], title="条目分布"
        )
    if report.drivers:
        charts["drivers"] = svg.interval_bars(
            [(d.title, d.weight_pct, d.weight_pct, d.weight_pct) for d in report.drivers],
            title="驱动因素（相对权重 %）",
            high=max(50.0, max(d.weight_pct for d in report.drivers) + 5),
        )
    if report.ipa:
        cut_i = sum(r.importance for r in report.ipa) / len(report.ipa)
        cut_p = sum(r.performance for r in report.ipa) / len(report.ipa)
        flagged = {p.code for p in report.problems}
        charts["ipa"] = svg.quadrant(
            [(r.text, r.importance, r.performance, r.code in flagged) for r in report.ipa],
            title="重要性–表现分析",
            importance_cut=cut_i,
            performance_cut=cut_p,
        )
    ranked = [r for r in report.departments.rows if not r.small and r.raw is not None]
    if ranked:
        charts["departments"] = svg.paired_dots(
            [(r.name, r.raw.mean, r.adjusted) for r in ranked if r.raw is not None],
            title="科室得分：原始与调整后",
        )
    report.charts = charts
