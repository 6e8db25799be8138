"""Exports of a wave's responses: long and wide, CSV with BOM, Excel with item metadata, SPSS with labels;
permission-checked, scoped, without direct identifiers."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from carebridge.core.models import AuditEvent
from carebridge.surveys.choices import ResponseMode
from carebridge.surveys.services.responses import response_submit
from carebridge.surveys.tests.factories import definition_small, published_version
from carebridge.surveys.tests.support.responses import GOOD, invite, open_wave

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/surveys/responses/export/"


def submit(invitation, answers=GOOD):
    return response_submit(
        invitation=invitation, answers=answers, language="zh-hans", mode=ResponseMode.WEB, now=timezone.now()
    )


@pytest.fixture
def wave(hospital, quality_officer_qian, cardiology, paediatrics):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    submit(invite(wave, department=cardiology), {**GOOD, "q2": "na"})
    submit(invite(wave, department=paediatrics), {**GOOD, "nps": 10})
    return wave


def read_csv(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_wide_csv_has_one_row_per_response_and_no_identifiers(api_client, quality_officer_qian, wave):
    response = api_client(quality_officer_qian).get(
        EXPORT, {"wave": wave.pk, "format": "wide", "type": "csv"}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    head, *rows = read_csv(response)
    assert head[:8] == [
        "response_id",
        "wave_id",
        "department",
        "mode",
        "language",
        "submitted_at",
        "duration_seconds",
        "score",
    ]
    assert head[-5:] == ["q1", "q2", "q3", "nps", "comment"] and "dim_care" in head and "age_band" in head
    assert len(rows) == 2 and {row[2] for row in rows} == {"CARD", "PEDI"}
    assert rows[0][head.index("q2")] == "na"
    text = ",".join(",".join(row) for row in rows)
    assert "张伟" not in text and "138" not in text
    assert AuditEvent.objects.filter(action="survey.responses.export", object_id=str(wave.pk)).exists()


def test_long_csv_has_one_row_per_answer(api_client, quality_officer_qian, wave):
    head, *rows = read_csv(api_client(quality_officer_qian).get(EXPORT, {"wave": wave.pk, "format": "long"}))
    assert head[-2:] == ["item", "value"] and len(rows) == 8
    assert sorted({row[-2] for row in rows}) == ["nps", "q1", "q2", "q3"]


def test_excel_has_the_item_metadata_sheet(api_client, quality_officer_qian, wave):
    response = api_client(quality_officer_qian).get(
        EXPORT, {"wave": wave.pk, "format": "wide", "type": "xlsx"}
    )
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["responses", "items"]
    items = list(workbook["items"].iter_rows(values_only=True))
    assert items[0][:4] == ("code", "text_zh", "text_en", "type")
    q2 = next(row for row in items if row[0] == "q2")
    assert q2[1] == "我需要等很久才有人回应。" and q2[6] is True and q2[7] == "care"
    assert len(list(workbook["responses"].iter_rows())) == 3


def test_spss_file_carries_variable_and_value_labels(api_client, quality_officer_qian, wave, tmp_path):
    import pyreadstat

    response = api_client(quality_officer_qian).get(
        EXPORT, {"wave": wave.pk, "format": "wide", "type": "sav"}
    )
    assert response.status_code == 200
    path = tmp_path / "x.sav"
    path.write_bytes(response.content)
    frame, meta = pyreadstat.read_sav(str(path))
    assert len(frame) == 2 and sorted(frame["nps"].tolist()) == [9.0, 10.0]
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["q1"] == "医生向您解释病情清楚吗？"
    assert meta.variable_value_labels["q1"][5.0] == "非常满意"
    assert frame["q2"].isna().sum() == 1  # "not applicable" is missing


def test_item_codes_that_name_other_columns_get_columns_of_their_own(
    api_client, hospital, quality_officer_qian, cardiology, tmp_path
):
    # The API fuzzing published an instrument whose item codes repeated export columns; the SPSS file
    # could not be built (a 500). "SCORE" is the same SPSS name as "score"; "by" is an SPSS keyword.
    import pyreadstat

    definition = definition_small()
    renamed = {"q1": "score", "q2": "SCORE", "q3": "by"}
    for dimension in definition["dimensions"]:
        for indicator in dimension["indicators"]:
            for item in indicator["items"]:
                item["code"] = renamed.get(item["code"], item["code"])
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    wave.version = published_version(hospital=hospital, definition=definition)
    wave.save(update_fields=["version"])
    submit(invite(wave, department=cardiology), {"score": 5, "SCORE": 1, "by": 4, "nps": 9})
    client = api_client(quality_officer_qian)

    head, row = read_csv(client.get(EXPORT, {"wave": wave.pk, "format": "wide", "type": "csv"}))
    assert head[-5:] == ["item_score", "item_SCORE_2", "item_by", "nps", "comment"]
    assert len({name.lower() for name in head}) == len(head)
    assert row[head.index("item_score")] == "5" and row[head.index("score")] != "5"

    response = client.get(EXPORT, {"wave": wave.pk, "format": "wide", "type": "sav"})
    assert response.status_code == 200
    path = tmp_path / "x.sav"
    path.write_bytes(response.content)
    frame, meta = pyreadstat.read_sav(str(path))
    assert frame["item_score"].tolist() == [5.0] and frame["item_by"].tolist() == [4.0]
    assert (
        dict(zip(meta.column_names, meta.column_labels, strict=True))["item_score"]
        == "医生向您解释病情清楚吗？"
    )

    workbook = load_workbook(
        io.BytesIO(client.get(EXPORT, {"wave": wave.pk, "format": "wide", "type": "xlsx"}).content),
        read_only=True,
    )
    columns = {row[0]: row[-1] for row in workbook["items"].iter_rows(min_row=2, values_only=True)}
    assert columns == {
        "score": "item_score",
        "SCORE": "item_SCORE_2",
        "by": "item_by",
        "nps": "nps",
        "comment": "comment",
    }


def test_export_needs_the_permission_and_a_valid_request(api_client, agent_ann, quality_officer_qian, wave):
    assert api_client(agent_ann).get(EXPORT, {"wave": wave.pk}).status_code == 403
    bad = api_client(quality_officer_qian).get(EXPORT, {"wave": wave.pk, "format": "tall", "type": "pdf"})
    assert bad.status_code == 400 and set(bad.json()) == {"format", "type"}
    assert api_client(quality_officer_qian).get(EXPORT, {"wave": 999999}).status_code == 404


def test_anonymous_exports_show_no_row_until_the_wave_has_its_smallest_group_then_only_the_month(
    api_client, hospital, quality_officer_qian, cardiology
):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian, anonymous=True, min_report_group=2)
    submit(invite(wave, department=cardiology))
    _head, *rows = read_csv(api_client(quality_officer_qian).get(EXPORT, {"wave": wave.pk}))
    assert rows == []
    submit(invite(wave, department=cardiology))
    _head, *rows = read_csv(api_client(quality_officer_qian).get(EXPORT, {"wave": wave.pk}))
    assert {row[2] for row in rows} == {"CARD"}
    assert {row[5] for row in rows} == {timezone.localdate().strftime("%Y-%m")}
    assert {row[6] for row in rows} == {""}  # no time taken either


def test_every_exported_text_cell_that_a_spreadsheet_would_run_is_escaped(
    api_client, hospital, quality_officer_qian, cardiology
):
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    submit(invite(wave, department=cardiology), answers={**GOOD, "nps": 3, "comment": "=cmd|' /C calc'!A0"})
    head, *rows = read_csv(api_client(quality_officer_qian).get(EXPORT, {"wave": wave.pk}))
    assert rows[0][head.index("comment")] == "'=cmd|' /C calc'!A0"
    book = load_workbook(
        io.BytesIO(api_client(quality_officer_qian).get(EXPORT, {"wave": wave.pk, "type": "xlsx"}).content)
    )
    sheet = book["responses"]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("comment") + 1)
    assert cell.value == "'=cmd|' /C calc'!A0" and cell.data_type == "s"
