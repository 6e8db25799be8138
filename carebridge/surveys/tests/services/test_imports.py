"""Import of legacy responses: a file with bad rows changes nothing and lists every bad row with its
reason; "valid rows only" imports exactly the valid ones; re-importing the same file is idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from openpyxl import Workbook

from carebridge.surveys.models import ImportBatch, Response
from carebridge.surveys.services.imports import responses_import
from carebridge.surveys.tests.support.responses import open_wave

pytestmark = pytest.mark.django_db

GOOD_AND_BAD = (
    "q1,q2,q3,nps,comment,department,submitted_at,mode\n"
    "5,1,4,9,,CARD,2026-10-03 09:30,paper\n"  # row 2: valid
    "7,1,4,9,,CARD,2026-10-03,paper\n"  # row 3: q1 out of range
    "4,na,3,,,CARD,2026-10-04,\n"  # row 4: nps missing (required)
    "3,2,2,5,等太久了,XXXX,2026-10-05,phone\n"  # row 5: unknown department
    "4,2,4,10,,PEDI,yesterday,fax\n"  # row 6: bad date and bad mode
    "na,3,3,8,,PEDI,2026/10/06,\n"  # row 7: valid (q1 not applicable; mode defaults to import)
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def wave(hospital, quality_officer_qian, cardiology, paediatrics):
    return open_wave(hospital=hospital, owner=quality_officer_qian)


def run(wave, actor, content, name="legacy.csv", **kwargs):
    return responses_import(wave=wave, actor=actor, file_name=name, content=content, **kwargs)


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_bad_row(wave, quality_officer_qian):
    batch = run(wave, quality_officer_qian, GOOD_AND_BAD.encode())
    assert not Response.objects.exists()
    assert batch.committed is False and batch.rows_imported == 0
    assert batch.rows_total == 6 and batch.rows_rejected == 4
    found = {(p["row"], p["column"]): p["reason"] for p in batch.report}
    assert found == {
        (3, "q1"): "Choose a whole number from 1 to 5.",
        (4, "nps"): "Please answer this question.",
        (5, "department"): "Unknown department code: XXXX.",
        (6, "submitted_at"): "Not a date or time (use 2026-11-03 14:20).",
        (6, "mode"): "Unknown mode: use web, phone, paper or import.",
    }


def test_valid_rows_only_imports_exactly_the_valid_ones(wave, quality_officer_qian, cardiology, paediatrics):
    batch = run(wave, quality_officer_qian, GOOD_AND_BAD.encode(), valid_rows_only=True)
    assert batch.committed is True and batch.rows_imported == 2 and batch.rows_rejected == 4
    first, second = Response.objects.order_by("submitted_at")
    assert first.answers == {"q1": 5, "q2": 1, "q3": 4, "nps": 9} and first.mode == "paper"
    assert first.department == cardiology and first.source_key == f"{batch.file_sha256}:2"
    assert timezone.localtime(first.submitted_at).strftime("%Y-%m-%d %H:%M") == "2026-10-03 09:30"
    assert second.answers["q1"] == "na" and second.mode == "import" and second.department == paediatrics
    assert first.answer_rows.count() == 4 and first.score is not None


def test_reimporting_the_same_file_is_idempotent(wave, quality_officer_qian):
    content = GOOD_AND_BAD.encode()
    run(wave, quality_officer_qian, content, valid_rows_only=True)
    again = run(wave, quality_officer_qian, content, valid_rows_only=True)
    assert Response.objects.count() == 2 and again.rows_imported == 0
    assert any(p["row"] == 0 and "skipped" in p["reason"] for p in again.report)
    assert ImportBatch.objects.count() == 2


def test_given_source_keys_are_kept_and_must_be_unique_in_the_file(wave, quality_officer_qian):
    content = b"source_key,q1,nps\nOLD-1,4,8\nOLD-1,5,9\nOLD-2,3,7\n"
    batch = run(wave, quality_officer_qian, content)
    assert batch.report == [{"row": 3, "column": "source_key", "reason": "Same source key as row 2."}]
    assert not Response.objects.exists()
    run(wave, quality_officer_qian, content, valid_rows_only=True)
    assert sorted(Response.objects.values_list("source_key", flat=True)) == ["OLD-1", "OLD-2"]


def test_an_unknown_column_rejects_the_whole_file_even_for_valid_rows_only(wave, quality_officer_qian):
    batch = run(wave, quality_officer_qian, b"q1,nps,colour\n4,8,red\n", valid_rows_only=True)
    assert batch.committed is False and not Response.objects.exists()
    assert batch.report[0]["row"] == 1 and batch.report[0]["column"] == "colour"


def test_excel_files_and_gbk_csv_are_read(wave, quality_officer_qian):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["q1", "q2", "q3", "nps", "comment", "department"])
    sheet.append([4, 2, 5, 6, "停车太难了", "CARD"])
    data = io.BytesIO()
    workbook.save(data)
    assert run(wave, quality_officer_qian, data.getvalue(), name="legacy.xlsx").rows_imported == 1
    gbk = "q1,nps,comment\n4,3,护士很好\n".encode("gb18030")
    assert run(wave, quality_officer_qian, gbk).rows_imported == 1
    assert Response.objects.filter(answers__comment="护士很好").exists()


def test_unreadable_files_are_refused(wave, quality_officer_qian):
    with pytest.raises(ValidationError):
        run(wave, quality_officer_qian, b"PK\x03\x04 broken", name="x.xlsx")
    with pytest.raises(ValidationError):
        run(wave, quality_officer_qian, b"   \n")
    assert not ImportBatch.objects.exists()
