"""API clients get JSON refusals for what cannot be read, and nothing of it reaches a log unmasked."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.db import DataError
from django.utils import translation
from openpyxl import load_workbook

from carebridge.core.api.exceptions import exception_handler
from carebridge.core.excel import StyledBook, neutralise_workbook, safe_cell, sheet_bytes
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


def test_a_control_character_in_stored_text_does_not_break_the_export():
    assert safe_cell("e\x04l\x1f") == "e\ufffdl\ufffd"
    data = sheet_bytes(title="t", header=["整改意见"], rows=[["=a\x0bb"]])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "'=a\ufffdb"


def test_a_report_workbook_escapes_formulas_and_control_characters_and_formats_numbers():
    book = StyledBook(freeze="B2")
    book.sheet(
        "科室比较" * 5, ("科室", "份额"), [("=儿科\x04", 0.25), ("内科", None)], formats=(None, "0.0%")
    )
    book.sheet("方法", ("项目", "说明"), [("a", "b")], freeze="A2")
    book.workbook["方法"]["B2"] = "@cmd"  # a cell set by hand after the sheet was built
    saved = load_workbook(io.BytesIO(book.bytes()))
    first, second = saved.worksheets
    assert first.title == ("科室比较" * 5)[:31]
    assert [first["A2"].value, first["B2"].value, first["B2"].number_format] == ["'=儿科\ufffd", 0.25, "0.0%"]
    assert first["A1"].font.bold and first.freeze_panes == "B2"
    assert second.freeze_panes == "A2" and second["B2"].value == "'@cmd"


def test_a_hand_built_workbook_is_neutralised_cell_by_cell():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["=1+1", "ok"])
    neutralise_workbook(workbook)
    assert [c.value for c in workbook.active[1]] == ["'=1+1", "ok"]
    assert workbook.active["A1"].data_type == "s"


# Detail and action addresses of every app with a word where the id goes: each used to reach ``int(pk)``.
NON_INTEGER_IDS = [
    "/api/v1/patients/abc/",
    "/api/v1/patients/abc/reveal/",
    "/api/v1/encounters/1e3/",
    "/api/v1/departments/x/",
    "/api/v1/followup/plans/abc/",
    "/api/v1/followup/plans/abc/retier/",
    "/api/v1/followup/touchpoints/abc/",
    "/api/v1/complaints/abc/",
    "/api/v1/surveys/waves/abc/",
    "/api/v1/surveys/waves/abc/invitations/",
    "/api/v1/surveys/responses/abc/",
    "/api/v1/surveys/instruments/abc/",
]


def test_a_word_where_an_id_goes_is_a_json_404_not_a_500(api_client, admin_sun):
    client = api_client(admin_sun)
    for url in NON_INTEGER_IDS:
        for method in (client.get, client.post):
            response = method(url, {}, format="json")
            assert response.status_code == 404, (url, response.status_code)
            assert response["Content-Type"].startswith("application/json"), url


def test_a_list_longer_than_any_payload_needs_is_refused_before_anything_is_written(client, db):
    body = json.dumps({"username": "x", "password": "y", "phones": ["13812345678"] * 100_000})
    response = client.post(TOKEN_URL, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "2000" in response.json()["detail"]


@pytest.mark.parametrize("offset", ["+20:00", "-23:59", "+14:30"])
def test_a_time_zone_offset_no_zone_has_is_a_400_with_a_message(api_client, admin_sun, offset):
    response = api_client(admin_sun).get(
        "/api/v1/surveys/responses/", {"submitted_after": f"2026-01-01T00:00:00{offset}"}
    )
    assert response.status_code == 400, response.content
    assert "14:00" in str(response.json()["submitted_after"])


def test_a_value_the_database_cannot_hold_is_a_400_with_a_message():
    # A service's transaction has rolled back by the time the handler runs (the services that write are
    # atomic); the caller is told their input is out of range, not that the server broke.
    with translation.override("zh-hans"):
        response = exception_handler(DataError("integer out of range"), {})
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["有数值超出了数据库可存储的范围。"]}


# Found by the API fuzzing on SQLite: a filter by a number no key can have reached the driver (a 500).
HUGE = "61917669765219314827264"
ID_FILTERS = [
    ("/api/v1/surveys/audit-visits/", "round"),
    ("/api/v1/followup/stay-plans/", "department"),
    ("/api/v1/followup/enrolments/", "programme"),
    ("/api/v1/performance/sessions/", "course"),
    ("/api/v1/performance/actions/", "department"),
    ("/api/v1/encounters/", "patient"),
    ("/api/v1/patients/", "department"),
    ("/api/v1/followup/plans/", "patient"),
    ("/api/v1/followup/plans/", "ward"),
    ("/api/v1/complaints/", "office"),
    ("/api/v1/complaints/", "department"),
    ("/api/v1/checkup/visits/", "group"),
]


@pytest.mark.parametrize(("url", "name"), ID_FILTERS)
def test_a_filter_by_a_number_no_row_can_have_is_a_400_naming_it(api_client, admin_sun, url, name):
    refused = api_client(admin_sun).get(url, {name: HUGE})
    assert refused.status_code == 400, (url, refused.status_code)
    assert name in refused.json()
    assert api_client(admin_sun).get(url, {name: "1"}).status_code == 200


def test_an_id_in_a_body_past_a_bigint_is_a_field_error_not_a_500(api_client, admin_sun):
    # Found by the API fuzzing on SQLite: staff ids past 64 bits reached the driver.
    body = {"content": "医生态度很好", "channel": "phone", "staff": [int(HUGE)], "patient": int(HUGE)}
    refused = api_client(admin_sun).post("/api/v1/complaints/", body, format="json")
    assert refused.status_code == 400 and {"staff", "patient"} <= set(refused.json())
