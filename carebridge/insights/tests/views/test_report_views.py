"""The report's pages and downloads: permission, scope (a department head sees a department report),
bad input answered with 400. ``carebridge/insights/urls.py`` mounts them under /insights/report/."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from carebridge.core.models import AuditEvent
from carebridge.insights.tests.support.report_data import MONTH, make_report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(hospital, quality_officer_qian, cardiology, paediatrics):
    return make_report_data(hospital, quality_officer_qian, cardiology, paediatrics)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_executive_sees_the_hospital_report_with_its_download_buttons(data, executive_zhao):
    response = _client(executive_zhao).get(f"/insights/report/?month={MONTH}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年10月患者满意度测评报告" in page and "范围：全院" in page
    assert f"/insights/report/pdf/?month={MONTH}&amp;instrument=inpatient-test" in page
    assert f"/insights/report/xlsx/?month={MONTH}&amp;instrument=inpatient-test" in page
    assert "调整病例组合后，心血管内科的排名由第1位变为第3位" in page
    assert page.count("<svg") >= 5


def test_a_department_head_gets_a_report_of_their_department_only(data, paediatrics_head):
    client = _client(paediatrics_head)
    page = client.get(f"/insights/report/?month={MONTH}").content.decode()
    assert "范围：儿科" in page and "答卷 60 份" in page
    assert "心血管内科" not in page and "骨科" not in page
    book = load_workbook(io.BytesIO(client.get(f"/insights/report/xlsx/?month={MONTH}").content))
    assert [r[0] for r in book["科室比较"].iter_rows(min_row=2, values_only=True)] == ["儿科"]
    summary = {r[0]: r[1] for r in book["摘要"].iter_rows(min_row=2, values_only=True)}
    assert summary["答卷数"] == 60


def test_the_pdf_and_excel_downloads_answer_with_their_files_and_are_logged(data, quality_officer_qian):
    client = _client(quality_officer_qian)
    pdf = client.get(f"/insights/report/pdf/?month={MONTH}")
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    xlsx = client.get(f"/insights/report/xlsx/?month={MONTH}")
    assert (
        xlsx.status_code == 200
        and 'filename="satisfaction-report-2026-10.xlsx"' in xlsx["Content-Disposition"]
    )
    assert AuditEvent.objects.filter(action="insights.report_download").count() == 2


@pytest.mark.parametrize("query", ["month=2026-13", "month=october", f"month={MONTH}&instrument=nope"])
def test_bad_input_is_a_400_with_the_reason(data, executive_zhao, query):
    response = _client(executive_zhao).get(f"/insights/report/?{query}")
    assert response.status_code == 400
    assert 'class="alert alert-danger"' in response.content.decode()
    assert _client(executive_zhao).get(f"/insights/report/xlsx/?{query}").status_code == 400


def test_people_without_the_analysis_permission_are_refused(data, agent_ann, outsider):
    assert _client(agent_ann).get(f"/insights/report/?month={MONTH}").status_code == 403
    assert _client(outsider).get(f"/insights/report/pdf/?month={MONTH}").status_code == 403
    assert Client().get(f"/insights/report/?month={MONTH}").status_code == 302  # to the login page


def test_a_month_without_responses_is_an_empty_report_not_an_error(data, executive_zhao):
    response = _client(executive_zhao).get("/insights/report/?month=2025-01")
    assert response.status_code == 200
    assert "本月没有可分析的答卷" in response.content.decode()


def test_a_department_head_whose_department_has_a_month_of_one_answer_gets_the_report(
    data, paediatrics_head, executive_zhao
):
    # One answer in August: the trend's cell for that month has no SD. It used to be a 500 on SQLite.
    first = data.version.responses.filter(department=data.departments["PEDI"]).order_by("id").first()
    first.pk = None
    first.invitation = None
    first.submitted_at = first.submitted_at.replace(month=8)
    first.save()
    for user in (paediatrics_head, executive_zhao):
        response = _client(user).get(f"/insights/report/?month={MONTH}")
        assert response.status_code == 200
