"""The monthly report: what it computes and says, and its Chinese PDF and Excel file."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from carebridge.core.tests.support.pdf import characters, streams
from carebridge.insights.domain.report import sentences
from carebridge.insights.domain.report.compute import DepartmentRow, Departments, Estimate
from carebridge.insights.exports import render_pdf, report_html, workbook_bytes
from carebridge.insights.selectors.report import hospital_zone
from carebridge.insights.selectors.report_document import build_report
from carebridge.insights.tests.support.report_data import MONTH, make_report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(hospital, quality_officer_qian, cardiology, paediatrics):
    return make_report_data(hospital, quality_officer_qian, cardiology, paediatrics)


@pytest.fixture
def report(data, quality_officer_qian):
    """The whole hospital's report as the quality office reads it: with the patients' (masked) words."""
    return build_report(user=quality_officer_qian, month=MONTH)


def test_the_report_states_the_index_with_its_interval_and_the_significant_change(report):
    assert report.n == 180
    assert report.overall is not None and report.overall.low < report.overall.mean < report.overall.high
    assert report.summary[0].startswith("2026年10月住院患者体验调查综合指数为")
    assert "95% 置信区间" in report.summary[0]
    last_month = next(c for c in report.changes if c.label == "上月")
    # October was generated 3 points higher on the latent scale than September: a real rise.
    assert last_month.significant and last_month.diff > 0
    assert any("较上月" in s and "显著上升" in s for s in report.summary)
    assert report.response_rate == pytest.approx(180 / 200)


def test_adjustment_reverses_the_raw_order_and_the_report_says_so(report):
    rows = {row.name: row for row in report.departments.rows}
    cardiology = rows["心血管内科"]
    # The oldest patients make cardiology first on raw scores and last once age is adjusted for.
    assert cardiology.raw_rank == 1 and cardiology.adjusted_rank == 3
    assert report.departments.adjustment is not None and "age_band" in report.departments.adjustment.numeric
    assert "调整病例组合后，心血管内科的排名由第1位变为第3位" in " ".join(report.adjustment_sentences)
    assert (
        cardiology.adjusted is not None
        and cardiology.raw is not None
        and cardiology.adjusted < cardiology.raw.mean
    )


def test_the_rank_sentence_is_written_whenever_a_rank_moves():
    estimate = Estimate(40, 80.0, 78.0, 82.0)
    moved = Departments(
        rows=[
            DepartmentRow(1, "甲科", 40, estimate, 70.0, 68.0, 72.0, 1, 2, "", "", 0.5, 0.5, False),
            DepartmentRow(2, "乙科", 40, estimate, 75.0, 73.0, 77.0, 2, 1, "", "below", 0.5, 0.01, False),
        ],
        adjustment=object(),  # type: ignore[arg-type]
    )
    said = sentences.adjustment_sentences(moved)
    assert "调整病例组合后，甲科的排名由第1位变为第2位（原始 80.0 分，调整后 70.0 分）。" in said
    assert "调整病例组合后，乙科显著低于全院其他科室。" in said
    first = moved.rows[0]
    unchanged = Departments(rows=[replace(first, adjusted=80.4, adjusted_rank=1)], adjustment=object())  # type: ignore[arg-type]
    assert sentences.adjustment_sentences(unchanged) == [
        "调整病例组合后，各科室的排名、显著性标记与得分均无明显变化（均不足 1 分）。"
    ]


def test_a_score_moved_by_a_point_or_more_is_said_with_its_reasons_even_without_a_rank():
    estimate = Estimate(12, 80.0, 76.0, 84.0)
    row = DepartmentRow(
        1,
        "肿瘤科",
        12,
        estimate,
        82.5,
        78.0,
        87.0,
        None,
        None,
        "",
        "",
        None,
        None,
        True,
        reasons=(("srh", 1.9), ("age_band", 0.7), ("sex", -0.1)),
    )
    still = replace(row, department_id=2, name="眼科", adjusted=80.6, reasons=(("srh", 0.6),))
    said = sentences.adjustment_sentences(Departments(rows=[row, still], adjustment=object()))  # type: ignore[arg-type]
    assert said == [
        "调整病例组合后，肿瘤科由 80.0 分变为 82.5 分"
        "（+2.5，主要来自其患者自评健康（+1.9）与年龄（+0.7）的构成；仅 12 份答卷，仅供参考）。"
    ]


def test_the_problems_to_fix_first_are_the_important_weak_items_with_masked_comments(report):
    codes = [p.code for p in report.problems]
    assert len(codes) == 3 and set(codes[:2]) == {"w1", "w2"}
    first = report.problems[0]
    assert first.performance < sum(r.performance for r in report.ipa) / len(report.ipa)
    assert first.comments and all("13812345678" not in c for c in first.comments)
    assert any("138****5678" in c or "等" in c for c in first.comments)
    assert report.problem_sentences[0].startswith("1. “")


def test_a_reader_who_may_not_read_comments_gets_the_same_report_without_quotes(report, data, executive_zhao):
    """The executive's role has no ``insights.view_comments`` (the comments tab's right): the report
    names the same problems and topics with their counts, quotes no one, and says why."""
    counts = build_report(user=executive_zhao, month=MONTH)

    assert (report.quotes, counts.quotes) == (True, False)
    assert [p.code for p in counts.problems] == [p.code for p in report.problems]
    assert all(not p.comments for p in counts.problems) and any(p.comments for p in report.problems)
    assert "患者原话" not in "".join(counts.problem_sentences)
    assert [(t.topic, t.n, t.negative) for t in counts.topics] == [
        (t.topic, t.n, t.negative) for t in report.topics
    ]
    assert all(not t.examples for t in counts.topics) and any(t.examples for t in report.topics)
    assert "患者原话仅向可查看评论的角色" in dict(counts.methods)["评论分析"]
    assert "患者原话仅向可查看评论的角色" not in dict(report.methods)["评论分析"]
    html = report_html(counts, zone=hospital_zone(data.hospital))
    assert 'id="quotes-withheld"' in html and "负面示例" not in html
    book = load_workbook(io.BytesIO(workbook_bytes(counts)))
    assert [c.value for c in book["评论主题"][1]] == ["主题", "提及", "正面", "负面", "中性"]
    assert {row[5] for row in book["重点问题"].iter_rows(min_row=2, values_only=True)} == {counts.quotes_note}
    quoted = load_workbook(io.BytesIO(workbook_bytes(report)))
    assert [c.value for c in quoted["评论主题"][1]][-1] == "负面示例（已遮盖）"
    assert 'id="quotes-withheld"' not in report_html(report, zone=hospital_zone(data.hospital))


def test_distributions_drivers_topics_recovery_and_methods_are_there(report, data):
    items = {row.code: row for row in report.items}
    assert set(items) >= {"d1", "w1", "overall"}
    for row in items.values():
        assert row.top + row.middle + row.bottom == pytest.approx(1.0)
    assert items["w1"].top < items["d2"].top
    assert report.outcome == "“总体而言您对本次住院满意吗”"
    assert report.drivers and report.drivers[0].title == "等候时间"
    assert sum(d.weight_pct for d in report.drivers) == pytest.approx(100.0)
    assert any(t.topic == "等候时间" and t.negative > 0 for t in report.topics)
    assert all("13812345678" not in e for t in report.topics for e in t.examples)
    methods = dict(report.methods)
    assert data.version.content_hash[:16] in methods["测评工具"]
    assert "Holm" in methods["科室比较"] and "Wilson" in methods["置信区间"]
    assert report.recovery is not None and report.recovery.opened == 0
    assert [t[0] for t in report.trend] == ["2026-09", "2026-10"]


def test_the_pdf_is_chinese_with_an_embedded_cjk_font_and_vector_charts(report, hospital):
    html = report_html(report, zone=hospital_zone(hospital))
    assert html.count("<svg") >= 5 and "<path" in html
    assert "调整病例组合后，心血管内科的排名由第1位变为第3位" in html
    pdf = render_pdf(report, zone=hospital_zone(hospital))
    assert pdf.startswith(b"%PDF")
    everything = pdf + b"".join(streams(pdf))
    assert b"NotoSansCJK" in everything and b"/FontFile" in everything
    shown = characters(pdf)
    for phrase in ("患者满意度测评报告", "调整病例组合后", "心血管内科", "重点改进区", "等候时间"):
        assert set(phrase) <= shown, phrase
    # The charts are drawn as vector paths in the blue of the bars (#1f6fb2 → 0.121569 0.435294 0.698039).
    pages = b"".join(streams(pdf))
    assert re.search(rb"0\.12\d* 0\.43\d* 0\.69\d* rg", pages)
    assert pages.count(b" l\n") + pages.count(b" l ") > 100  # line segments of whiskers, axes, trend


def test_the_excel_file_has_one_sheet_per_section_with_the_numbers_of_the_page(report):
    book = load_workbook(io.BytesIO(workbook_bytes(report)))
    assert book.sheetnames == [
        "摘要",
        "趋势",
        "维度指数",
        "条目分布",
        "驱动因素",
        "重要性表现",
        "科室比较",
        "重点问题",
        "评论主题",
        "服务补救",
        "方法说明",
    ]
    dimensions = book["维度指数"]
    assert dimensions.freeze_panes == "B2"
    assert [c.value for c in dimensions[1]] == ["维度", "n", "指数", "95% 下限", "95% 上限"]
    sheet_rows = list(dimensions.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in sheet_rows] == [(d.title, d.estimate.mean) for d in report.dimensions]
    assert dimensions["C2"].number_format == "0.0"
    departments = {r[0]: r for r in book["科室比较"].iter_rows(min_row=2, values_only=True)}
    for row in report.departments.rows:
        assert departments[row.name][2] == pytest.approx(row.raw.mean)
        assert departments[row.name][8] == pytest.approx(row.adjusted)
        assert departments[row.name][5] == row.raw_rank and departments[row.name][11] == row.adjusted_rank
    items = book["条目分布"]
    assert items["E2"].number_format == "0.0%" and 0 <= items["E2"].value <= 1
    summary = {r[0]: r[1] for r in book["摘要"].iter_rows(min_row=2, values_only=True)}
    assert summary["综合指数"] == pytest.approx(report.overall.mean)
    assert summary["答卷数"] == 180


def test_a_thin_month_compares_departments_over_the_last_twelve_months(data, hospital, executive_zhao):
    # Leave 20 October answers per department (below the 30 a department needs to be ranked): the
    # comparison pools September and October, says so, and still adjusts for case mix.
    from carebridge.surveys.models import Response

    october = Response.objects.filter(submitted_at__month=10)
    for department_id in set(october.values_list("department_id", flat=True)):
        keep = october.filter(department_id=department_id).order_by("pk").values_list("pk", flat=True)[:20]
        october.filter(department_id=department_id).exclude(pk__in=list(keep)).delete()
    thin = build_report(user=executive_zhao, month=MONTH)
    assert "近12个月" in thin.departments_period
    assert thin.departments.adjustment is not None
    assert {row.n for row in thin.departments.rows} == {60 + 20}
    assert "近12个月" in report_html(thin, zone=hospital_zone(hospital))
