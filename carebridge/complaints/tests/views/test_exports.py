"""The complaint register: a Chinese PDF from WeasyPrint and an Excel file with the rows of the list."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.test import Client
from openpyxl import load_workbook

from carebridge.complaints.exports import HEADER, render_register_pdf
from carebridge.complaints.models import Complaint
from carebridge.core.tests.support.pdf import characters, streams

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assertions read the source language
    return client


def test_the_register_pdf_renders_chinese_with_an_embedded_cjk_font(receive, agent_ann, hospital):
    receive(agent_ann, content="排队等了两个小时")
    complaints = list(Complaint.objects.all())
    pdf = render_register_pdf(
        complaints=complaints, hospital_name=hospital.name, filters="", printed_at=complaints[0].received_at
    )
    assert pdf.startswith(b"%PDF")
    everything = pdf + b"".join(streams(pdf))
    assert b"NotoSansCJK" in everything or b"NotoSerifCJK" in everything  # the CJK font is named…
    assert b"/FontFile" in everything  # …and embedded
    shown = characters(pdf)
    for word in ("投诉登记本", "王先生", "等候时间", "登记号"):
        assert set(word) <= shown, word


def test_the_excel_export_has_the_same_rows_as_the_list(receive, complaint_officer_li, agent_ann, cardiology):
    for index in range(30):  # more than a page of the list
        receive(agent_ann, content=f"排队等了{index}分钟", departments=[cardiology] if index % 2 else [])
    receive(agent_ann, content="收费多收了", kind="suggestion")
    client = _client(complaint_officer_li)
    query = f"kind=complaint&department={cardiology.pk}"
    listed = []
    page = 1
    while True:
        response = client.get(f"/desk/complaints/?{query}&page={page}")
        listed += re.findall(
            r'href="/desk/complaints/\d+/">([A-Z]{2}\d{8}-\d{5})<', response.content.decode()
        )
        if f"page={page + 1}" not in response.content.decode():
            break
        page += 1
    response = client.get(f"/desk/complaints/export/?{query}&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert [row[0] for row in rows[1:]] == listed
    assert len(listed) == 15
    assert "138****5678" in rows[1] and "13812345678" not in str(rows)


def test_the_pdf_export_answers_with_a_pdf(receive, complaint_officer_li, agent_ann):
    receive(agent_ann)
    response = _client(complaint_officer_li).get("/desk/complaints/export/?format=pdf&kind=complaint")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_exports_need_the_export_permission(agent_ann):
    assert _client(agent_ann).get("/desk/complaints/export/").status_code == 403
