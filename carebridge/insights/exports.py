"""The monthly report's downloads: the Excel workbook and the Chinese PDF, from the same
:class:`~carebridge.insights.selectors.report_document.Report` the page shows.

Excel: one sheet per section, real numbers with number formats. Headers are Chinese (the report's
language), bold and frozen; shares are stored as fractions with a percent format and indexes as numbers
with one decimal, so a reader can recompute or chart them.

PDF: WeasyPrint renders the page's sections with a cover and page numbers. The charts are inline SVG
(``domain/report/svg.py``), drawn as vector graphics without a browser; the text uses the Noto CJK font
set-up installs (``make fonts``: fonts-noto-cjk), as the complaint register does
(``carebridge/desk/exports.py``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override
from openpyxl.styles import Alignment

from carebridge.core.excel import StyledBook
from carebridge.insights.domain.report.compute import UNIT_MINIMUM
from carebridge.insights.selectors.report_document import Report

INDEX = "0.0"
SHARE = "0.0%"
COEFFICIENT = "0.000"
COUNT = "#,##0"
_FLAGS = {"below": "显著偏低", "above": "显著偏高", "": ""}


def stale_note(report: Report, *, zone: ZoneInfo) -> str:
    """What a download of a report computed before the month's latest answers says about itself."""
    at = timezone.localtime(report.generated_at, zone)
    return f"本报告生成于 {at:%Y-%m-%d %H:%M}，此后本月答卷有变化：本报告不含之后的答卷。"


def workbook_bytes(report: Report, *, stale: str = "") -> bytes:
    """The .xlsx of the report: 摘要, 趋势, 维度指数, 条目分布, 驱动因素, 重要性表现, 科室比较, 重点问题,
    评论主题, 服务补救, 方法说明. ``stale``: a :func:`stale_note`, first in the summary."""
    book = StyledBook(freeze="B2")  # the first column (a month, an item) stays in view
    overall = report.overall
    book.sheet(
        "摘要",
        ("项目", "内容"),
        [
            *([("注意", stale)] if stale else []),
            ("医院", report.hospital),
            ("月份", report.month.label),
            ("范围", report.scope_label),
            ("测评工具", report.instrument.name if report.instrument else ""),
            ("答卷数", report.n),
            ("应答率", report.response_rate),
            ("综合指数", overall.mean if overall else None),
            ("95% 置信下限", overall.low if overall else None),
            ("95% 置信上限", overall.high if overall else None),
            *[(f"较{c.label}变化（{c.month}）", c.diff) for c in report.changes],
            *[(f"较{c.label}变化的 p 值", c.p) for c in report.changes],
            *[("摘要", s) for s in report.summary],
            *[("需优先改进", s) for s in report.problem_sentences],
            *[("病例组合调整", s) for s in report.adjustment_sentences],
        ],
        (None, None),
        (22, 100),
    )
    summary = book.workbook["摘要"]
    for row in summary.iter_rows(min_row=2):
        label, value = row[0].value, row[1]
        if label == "应答率":
            value.number_format = SHARE
        elif isinstance(value.value, float):
            value.number_format = COEFFICIENT if "p 值" in str(label) else INDEX
        value.alignment = Alignment(wrap_text=True, vertical="top")
    book.sheet(
        "趋势",
        ("月份", "n", "综合指数", "95% 下限", "95% 上限"),
        [(label, n, mean, low, high) for label, mean, low, high, n in report.trend],
        (None, COUNT, INDEX, INDEX, INDEX),
        (10, 8, 10, 10, 10),
    )
    book.sheet(
        "维度指数",
        ("维度", "n", "指数", "95% 下限", "95% 上限"),
        [
            (d.title, d.estimate.n, d.estimate.mean, d.estimate.low, d.estimate.high)
            for d in report.dimensions
        ],
        (None, COUNT, INDEX, INDEX, INDEX),
        (24, 8, 10, 10, 10),
    )
    book.sheet(
        "条目分布",
        (
            "条目",
            "代码",
            "n",
            "不适用/未答",
            "顶部框",
            "中间",
            "底部框",
            "顶部框 95% 下限",
            "顶部框 95% 上限",
            "0–100 均值",
            "框定义（顶/底）",
        ),
        [
            (
                i.text,
                i.code,
                i.n,
                i.n_excluded,
                i.top,
                i.middle,
                i.bottom,
                i.top_low,
                i.top_high,
                i.mean.mean,
                i.boxes,
            )
            for i in report.items
        ],
        (None, None, COUNT, COUNT, SHARE, SHARE, SHARE, SHARE, SHARE, INDEX, None),
        (40, 8, 8, 10, 9, 9, 9, 12, 12, 10, 14),
    )
    book.sheet(
        "驱动因素",
        ("维度", "相对权重 %", "相关 r", "维度指数"),
        [(d.title, d.weight_pct, d.r, d.performance) for d in report.drivers],
        (None, INDEX, COEFFICIENT, INDEX),
        (24, 12, 10, 10),
    )
    book.sheet(
        "重要性表现",
        ("条目", "代码", "重要性 r", "表现（0–100）", "象限"),
        [(r.text, r.code, r.importance, r.performance, r.quadrant) for r in report.ipa],
        (None, None, COEFFICIENT, INDEX, None),
        (40, 8, 10, 12, 18),
    )
    book.sheet(
        "科室比较",
        (
            "科室",
            "n",
            "原始得分",
            "原始 95% 下限",
            "原始 95% 上限",
            "原始排名",
            "原始标记",
            "原始校正 p",
            "调整后得分",
            "调整后 95% 下限",
            "调整后 95% 上限",
            "调整后排名",
            "调整后标记",
            "调整后校正 p",
            "样本不足",
            "统计期间",
        ),
        [
            (
                r.name,
                r.n,
                r.raw.mean if r.raw and not r.small else None,
                r.raw.low if r.raw and not r.small else None,
                r.raw.high if r.raw and not r.small else None,
                r.raw_rank,
                _FLAGS[r.raw_flag],
                r.raw_p,
                r.adjusted,
                r.adjusted_low,
                r.adjusted_high,
                r.adjusted_rank,
                _FLAGS[r.adjusted_flag],
                r.adjusted_p,
                "是" if r.small else "",
                report.departments_period,
            )
            for r in report.departments.rows
        ],
        (
            None,
            COUNT,
            INDEX,
            INDEX,
            INDEX,
            "0",
            None,
            COEFFICIENT,
            INDEX,
            INDEX,
            INDEX,
            "0",
            None,
            COEFFICIENT,
            None,
            None,
        ),
        (16, 7, 9, 10, 10, 8, 10, 10, 10, 11, 11, 9, 10, 11, 8, 24),
    )
    book.sheet(
        "重点问题",
        (
            "序号",
            "条目",
            "重要性 r",
            "表现（0–100）",
            "主要科室",
            "患者原话（已遮盖）" if report.quotes else "患者原话",
        ),
        [
            (
                i,
                p.text,
                p.importance,
                p.performance,
                "、".join(f"{name}（{mean:.1f}，n={n}）" for name, mean, n in p.departments),
                "\n".join(p.comments) if report.quotes else report.quotes_note,
            )
            for i, p in enumerate(report.problems, start=1)
        ],
        ("0", None, COEFFICIENT, INDEX, None, None),
        (6, 36, 10, 12, 36, 60),
    )
    quotes = report.quotes  # the examples' column only for a reader who may read comments
    book.sheet(
        "评论主题",
        ("主题", "提及", "正面", "负面", "中性", *(["负面示例（已遮盖）"] if quotes else [])),
        [
            (t.topic, t.n, t.positive, t.negative, t.neutral, *(["\n".join(t.examples)] if quotes else []))
            for t in report.topics
        ],
        (None, COUNT, COUNT, COUNT, COUNT, *([None] if quotes else [])),
        (14, 8, 8, 8, 8, *([80] if quotes else [])),
    )
    recovery = report.recovery
    book.sheet(
        "服务补救",
        ("触发案件", "已结案", "按期反馈结案", "未结案已超期"),
        [(recovery.opened, recovery.closed, recovery.closed_in_time, recovery.open_overdue)]
        if recovery
        else [],
        (COUNT, COUNT, COUNT, COUNT),
        (12, 10, 14, 14),
    )
    book.sheet("方法说明", ("项目", "说明"), report.methods, (None, None), (16, 120))
    for name in ("方法说明", "重点问题", "评论主题"):
        for row in book.workbook[name].iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return book.bytes()  # comment quotes and labels are free text: never run as formulas


def report_html(report: Report, *, zone: ZoneInfo, stale: str = "") -> str:
    """The standalone HTML the PDF is made from (Chinese whatever the screen language); ``stale``: a
    :func:`stale_note`, on the cover."""
    with override("zh-hans"):
        return render_to_string(
            "insights/report/pdf.html",
            {
                "report": report,
                "generated_at": timezone.localtime(report.generated_at, zone),
                "zone_name": str(zone),
                "min_unit": UNIT_MINIMUM,
                "stale": stale,
            },
        )


def render_pdf(report: Report, *, zone: ZoneInfo, stale: str = "") -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=report_html(report, zone=zone, stale=stale)).write_pdf())
