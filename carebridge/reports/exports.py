"""The reports' downloads: Chinese PDFs (WeasyPrint from the page's own sections, with the Noto CJK font
set-up installs, as the monthly satisfaction report does: ``insights/exports.py``) and Excel workbooks
(``core.excel.StyledBook``: one sheet per section, bold frozen headers; every text cell escaped, so a
unit's name starting with ``=``, ``+``, ``-`` or ``@`` reaches Excel as text)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from carebridge.core.excel import StyledBook

if TYPE_CHECKING:
    from carebridge.reports.selectors.centre import CentreReport
    from carebridge.reports.selectors.leadership import LeadershipReport

SHARE = "0.0%"
ONE = "0.0"
COUNT = "#,##0"


def pdf_bytes(*, body: str, title: str, context: dict[str, Any]) -> bytes:
    """The PDF of a report body template (rendered in Chinese whatever the screen language)."""
    from weasyprint import HTML

    with override("zh-hans"):
        html = render_to_string(
            "reports/_pdf.html", {**context, "body": body, "title": title, "running_head": title}
        )
    return bytes(HTML(string=html).write_pdf())


def _f(value: Any) -> Any:
    return float(value) if value is not None else None


# --- the checkup centre's report -------------------------------------------------------------------


def centre_workbook(report: CentreReport) -> bytes:
    s, sat, book = report.figures, report.satisfaction, StyledBook()
    book.sheet(
        "概要",
        ("项目", "内容"),
        [
            ("医院", report.hospital),
            ("范围", report.scope_label),
            ("统计期间", f"{s.period.start:%Y-%m-%d} 至 {s.period.end:%Y-%m-%d}"),
            ("对比期间", f"{s.previous.start:%Y-%m-%d} 至 {s.previous.end:%Y-%m-%d}"),
            *[("概要", sentence) for sentence in report.summary],
        ],
        widths=(14, 100),
    )
    book.sheet(
        "客户构成",
        ("分组", "类别", "人数", "占比"),
        [
            ("合计", "体检客户", s.customers, None),
            ("合计", "体检人次", s.visits, None),
            *[("性别", c.label, c.n, c.share) for c in s.by_sex],
            *[("职业类别", c.label, c.n, c.share) for c in s.by_occupation],
            *[("单位", c.label, c.n, c.share) for c in s.by_group],
        ],
        formats=(None, None, COUNT, SHARE),
        widths=(10, 40, 10, 10),
    )
    book.sheet(
        "年龄",
        ("n", "均值（岁）", "标准差（岁）"),
        [(s.age.n, s.age.mean, s.age.sd)],
        formats=(COUNT, "0.00", "0.00"),
        widths=(8, 12, 12),
    )
    book.sheet(
        "消费与流动",
        ("指标", "数值"),
        [
            ("体检收入（元）", _f(s.revenue)),
            ("人均消费（元）", _f(s.spend_per_person)),
            ("回头客（人）", s.returning),
            ("新客户（人）", s.new),
            ("流失客户（人）", s.lost),
            ("流失率", s.churn),
        ],
        widths=(20, 14),
    )
    flow = book.workbook["消费与流动"]
    flow["B7"].number_format = SHARE
    t = s.turnaround
    book.sheet(
        "报告周期",
        ("发布报告（份）", "中位数（天）", "P95（天）", f"{t.target_days} 天内发布", "及时率"),
        [(t.n, t.p50, t.p95, t.within, t.share_within)],
        formats=(COUNT, ONE, ONE, COUNT, SHARE),
        widths=(14, 12, 12, 12, 10),
    )
    book.sheet(
        "满意度",
        (
            "答卷（份）",
            "综合指数",
            "95% 下限",
            "95% 上限",
            "满意",
            "作答总体评价",
            "满意率",
            "发出邀请",
            "已作答",
            "回收率",
        ),
        [
            (
                sat.n,
                sat.index.mean if sat.index else None,
                sat.index.low if sat.index else None,
                sat.index.high if sat.index else None,
                sat.satisfied,
                sat.satisfied_answers,
                sat.share_satisfied,
                sat.invited,
                sat.answered,
                sat.response_rate,
            )
        ],
        formats=(COUNT, ONE, ONE, ONE, COUNT, COUNT, SHARE, COUNT, COUNT, SHARE),
        widths=(10, 10, 10, 10, 8, 12, 10, 10, 8, 10),
    )
    c = report.critical
    book.sheet(
        "危急值及时性",
        (
            "类别",
            "通知数",
            "首次联系中位数（分钟）",
            "首次联系 P90（分钟）",
            "首次联系及时率",
            "复述确认中位数（分钟）",
            "复述确认 P90（分钟）",
            "复述确认及时率",
            "无法联系",
        ),
        [
            (
                row.label,
                row.count,
                row.first_attempt.p50,
                row.first_attempt.p90,
                row.first_attempt.share_within,
                row.read_back.p50,
                row.read_back.p90,
                row.read_back.share_within,
                row.unreachable,
            )
            for row in (c.classes if c else [])
        ],
        formats=(None, COUNT, ONE, ONE, SHARE, ONE, ONE, SHARE, COUNT),
        widths=(30, 8, 14, 14, 12, 14, 14, 12, 8),
    )
    book.sheet("指标定义", ("指标", "定义"), report.definitions, widths=(14, 110))
    return book.bytes()


def centre_context(report: CentreReport, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "report": report,
        "generated_at": timezone.localtime(report.generated_at, zone),
        "zone_name": str(zone),
    }


def centre_pdf(report: CentreReport, *, zone: ZoneInfo) -> bytes:
    title = f"{report.hospital} 体检中心{report.period.chinese}运营报告"
    return pdf_bytes(body="reports/centre/_body.html", title=title, context=centre_context(report, zone))


# --- the monthly leadership report -------------------------------------------------------------------


def leadership_workbook(report: LeadershipReport) -> bytes:
    book = StyledBook()
    book.sheet(
        "摘要",
        ("项目", "内容"),
        [
            ("医院", report.hospital),
            ("月份", report.month_label),
            *[("摘要", sentence) for sentence in report.summary],
        ],
        widths=(14, 110),
    )
    book.sheet(
        "指标",
        ("领域", "指标", "本月", "上月", "目标", "分子", "分母", "得分", "色带", "定义"),
        [
            (
                area.label,
                tile.name,
                tile.value,
                tile.previous,
                tile.target,
                tile.numerator,
                tile.denominator,
                tile.score,
                tile.band_label,
                tile.definition,
            )
            for area in report.areas
            for tile in area.tiles
        ],
        formats=(None, None, ONE, ONE, ONE, COUNT, COUNT, ONE, None, None),
        widths=(16, 30, 9, 9, 9, 9, 9, 8, 8, 80),
    )
    if report.scorecard is not None:
        card = report.scorecard
        book.sheet(
            "平衡计分卡",
            ("层面", "得分", "色带"),
            [
                ("总分", card.total, card.band_label),
                *[(p.name, p.score, p.band_label) for p in card.perspectives],
            ],
            formats=(None, ONE, None),
            widths=(24, 10, 10),
        )
    actions = report.actions
    book.sheet(
        "改进措施",
        ("措施", "科室", "负责人", "到期日", "状态", "逾期", "效果核查", "核查说明"),
        [
            (
                a.title,
                a.department,
                a.owner,
                a.due_date,
                a.status,
                "是" if a.overdue else "",
                a.verdict,
                a.sentence,
            )
            for a in actions.rows
        ],
        widths=(36, 14, 10, 12, 10, 6, 10, 80),
    )
    book.sheet(
        "改进措施汇总",
        ("进行中", "逾期", "已完成", "其中效果改善", "已放弃"),
        [(actions.open, actions.overdue, actions.done, actions.improved, actions.abandoned)],
        formats=(COUNT, COUNT, COUNT, COUNT, COUNT),
        widths=(10, 10, 10, 14, 10),
    )
    return book.bytes()


def leadership_pdf(report: LeadershipReport, *, zone: ZoneInfo) -> bytes:
    title = f"{report.hospital} {report.month_chinese}领导月报"
    context = {
        "report": report,
        "generated_at": timezone.localtime(report.generated_at, zone),
        "zone_name": str(zone),
    }
    return pdf_bytes(body="reports/leadership/_body.html", title=title, context=context)
