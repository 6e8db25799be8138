"""The centre's report and the leadership report as pages, PDFs and Excel files: who may open them,
Chinese labels (never choice values) on the zh-hans page and in the PDF, formulas escaped in Excel, the
cockpit's link to the leadership report."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from carebridge.core.tests.support.pdf import text as pdf_text
from carebridge.reports.tests.selectors.test_centre import build

pytestmark = pytest.mark.django_db


def _client(client, user, language="zh-hans"):
    from django.conf import settings

    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_the_centre_report_page_pdf_and_excel(site, client, executive_zhao, ward_manager_wang):
    build(site)
    page = _client(client, executive_zhao).get("/reports/checkup-centre/?period=2025")
    assert page.status_code == 200
    html = page.content.decode()
    assert "体检中心2025年度运营报告" in html and "公务员" in html and "流失客户" in html
    assert "civil_servant" not in html and ">M<" not in html  # labels, never choice values
    pdf = client.get("/reports/checkup-centre/pdf/?period=2025")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    words = pdf_text(pdf.content)
    assert "客户构成" in words and "指标定义" in words and "回头客" in words
    xlsx = client.get("/reports/checkup-centre/xlsx/?period=2025")
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [c.value for row in book["客户构成"].iter_rows() for c in row]
    assert "'=HYPERLINK(1)局" in cells and "=HYPERLINK(1)局" not in cells
    assert client.get("/reports/checkup-centre/?period=2025-13").status_code == 400
    client.logout()
    ward = _client(client, ward_manager_wang)
    assert ward.get("/reports/checkup-centre/?period=2025").status_code == 403
    assert ward.get("/reports/checkup-centre/pdf/?period=2025").status_code == 403
    assert ward.get("/reports/leadership/").status_code == 403


def test_the_centre_staff_open_it_too(site, client):
    page = _client(client, site.staff).get("/reports/checkup-centre/?period=2025-03")
    assert page.status_code == 200 and "体检中心2025年3月运营报告" in page.content.decode()


def test_the_leadership_report_and_the_cockpit_link(client, executive_zhao):
    cockpit = _client(client, executive_zhao).get("/reports/cockpit/")
    assert cockpit.status_code == 200 and "/reports/leadership/" in cockpit.content.decode()
    page = client.get("/reports/leadership/?period=2025-03")
    assert page.status_code == 200
    html = page.content.decode()
    assert "2025年3月领导月报" in html and "持续改进措施" in html
    pdf = client.get("/reports/leadership/pdf/?period=2025-03")
    assert pdf.status_code == 200 and "领导月报" in pdf_text(pdf.content)
    xlsx = client.get("/reports/leadership/xlsx/?period=2025-03")
    assert xlsx.status_code == 200
    assert {"摘要", "指标", "改进措施", "改进措施汇总"} <= set(
        load_workbook(io.BytesIO(xlsx.content)).sheetnames
    )


def test_the_old_satisfaction_report_still_answers(client, executive_zhao):
    assert _client(client, executive_zhao).get("/insights/report/").status_code in (200, 400)
