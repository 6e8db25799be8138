"""Results from a CSV or Excel file (issue #12): a preview stores nothing, a file with errors imports
nothing unless the valid rows are asked for, each row is reported, and the same file twice files once."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from carebridge.checkup.models import Result
from carebridge.interop.services.imports import results_import

pytestmark = pytest.mark.django_db


def csv_of(visit, *rows):
    lines = ["病案号,体检号,项目编码,结果,单位"] + [f"{visit.patient.mrn},{visit.number},{r}" for r in rows]
    return "\n".join(lines).encode("gb18030")


def run(visit, content, actor, *, commit, valid_only=False, name="results.csv"):
    return results_import(
        hospital=visit.hospital,
        content=content,
        filename=name,
        actor=actor,
        commit=commit,
        valid_only=valid_only,
    )


def test_a_preview_reports_each_row_and_stores_nothing(open_visit, staff_chen):
    report = run(open_visit, csv_of(open_visit, "GLU,126,mg/dL", "NOPE,1,"), staff_chen, commit=False)

    assert [(r.line, r.ok) for r in report.rows] == [(2, True), (3, False)]
    assert "NOPE" in report.rows[1].message
    assert not Result.objects.exists() and not report.committed


def test_a_file_with_errors_imports_nothing_unless_the_valid_rows_are_asked_for(open_visit, staff_chen):
    content = csv_of(open_visit, "GLU,126,mg/dL", "NOPE,1,")
    assert not run(open_visit, content, staff_chen, commit=True).committed
    assert not Result.objects.exists()

    report = run(open_visit, content, staff_chen, commit=True, valid_only=True)
    assert report.committed and report.imported == 1
    assert Result.objects.get().source == "csv"
    run(open_visit, content, staff_chen, commit=True, valid_only=True)
    assert Result.objects.count() == 1


def test_an_excel_file_is_read_the_same_way(open_visit, staff_chen):
    book = Workbook()
    sheet = book.active
    sheet.append(["mrn", "visit_number", "code", "value", "unit"])
    sheet.append([open_visit.patient.mrn, open_visit.number, "HGB", 14.2, "g/dL"])
    buffer = io.BytesIO()
    book.save(buffer)

    report = run(open_visit, buffer.getvalue(), staff_chen, commit=True, name="lab.xlsx")

    assert report.committed, report.rows
    assert str(Result.objects.get().value_numeric) == "142.0000"


def test_a_file_without_the_columns_is_refused_as_a_whole(open_visit, staff_chen):
    report = run(open_visit, b"a,b\n1,2\n", staff_chen, commit=True)
    assert "Missing columns" in report.error and not report.rows
