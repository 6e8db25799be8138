"""API clients get JSON refusals for what cannot be read, and nothing of it reaches a log unmasked."""

from __future__ import annotations

import io
import json
import logging

from openpyxl import load_workbook

from carebridge.core.excel import neutralise_workbook, safe_cell, sheet_bytes
from carebridge.core.logging import MaskSensitiveFilter, mask_query_string

TOKEN_URL = "/api/v1/auth/token/"


def test_deeply_nested_json_is_refused_with_a_clear_400(client, db):
    body = "[" * 5000 + "]" * 5000
    response = client.post(TOKEN_URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "32" in response.json()["detail"]


def test_a_body_over_the_limit_is_refused_with_413_in_json(client, db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"username": "x" * 4000, "password": "y"})
    response = client.post(TOKEN_URL, data=body, content_type="application/json")
    assert response.status_code == 413
    assert "KB" in response.json()["detail"]


def test_an_unknown_api_url_answers_json_not_an_html_page(client, db):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。"}


def test_query_strings_are_masked_in_request_log_lines():
    line = '"GET /api/v1/patients/?q=110105199003071234&page=2 HTTP/1.1" 200 512'
    assert mask_query_string(line) == '"GET /api/v1/patients/?q=***&page=*** HTTP/1.1" 200 512'
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s', ("GET /x/?phone=13812345678", 200), None
    )
    MaskSensitiveFilter().filter(record)
    assert "13812345678" not in record.getMessage()
    assert "phone=***" in record.getMessage()


def test_a_cell_that_would_run_as_a_formula_is_written_as_text():
    values = ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "\t=1", "张三", 42, -5]
    assert [safe_cell(v) for v in values] == [
        "'=cmd|' /C calc'!A0",
        "'+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\t=1",
        "张三",
        42,
        -5,
    ]
    data = sheet_bytes(title="t", header=["姓名"], rows=[['=HYPERLINK("http://x")']])
    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://x")'


def test_a_hand_built_workbook_is_neutralised_cell_by_cell():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["=1+1", "ok"])
    neutralise_workbook(workbook)
    assert [c.value for c in workbook.active[1]] == ["'=1+1", "ok"]
    assert workbook.active["A1"].data_type == "s"
