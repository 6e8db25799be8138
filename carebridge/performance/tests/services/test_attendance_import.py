"""Attendance sheets: with one bad row nothing is imported and the row is reported; with "valid rows
only" the rest is imported; scores are judged against the course's pass mark."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from carebridge.performance.choices import ImportMode
from carebridge.performance.models import Attendance
from carebridge.performance.services.training import attendance_import, attendance_record, session_create

pytestmark = pytest.mark.django_db


def sheet(*rows: tuple[object, ...]) -> bytes:
    workbook = Workbook()
    book = workbook.active
    assert book is not None
    book.append(["姓名", "科室", "成绩"])
    for row in rows:
        book.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def session(desk, inspector_qian):
    return session_create(
        course=desk.course, held_on=dt.date(2025, 3, 7), trainer="王老师", actor=inspector_qian
    )


GOOD_AND_BAD = sheet(("张敏", "CSC", 88), ("李娜", "CSC", 59), ("赵无名", "CSC", 90), ("王芳", "", "九十"))


def test_one_bad_row_imports_nothing_and_reports_the_row(session, inspector_qian):
    report = attendance_import(
        session=session, content=GOOD_AND_BAD, file_name="签到表.xlsx", actor=inspector_qian
    )
    assert not Attendance.objects.exists()
    assert report.imported == 0
    assert [(r.number, r.ok) for r in report.rows] == [(2, True), (3, True), (4, False), (5, False)]
    assert "No member of staff called 赵无名" in report.rows[2].errors[0]
    assert "is not a number" in report.rows[3].errors[0]


def test_valid_rows_only_imports_the_rest(session, inspector_qian):
    report = attendance_import(
        session=session,
        content=GOOD_AND_BAD,
        file_name="签到表.xlsx",
        actor=inspector_qian,
        mode=ImportMode.VALID_ROWS,
    )
    assert report.imported == 2
    rows = {a.staff.name: (a.score, a.passed, a.hours) for a in Attendance.objects.select_related("staff")}
    assert rows == {"张敏": (Decimal(88), True, Decimal(4)), "李娜": (Decimal(59), False, Decimal(4))}


def test_a_person_already_recorded_or_twice_in_the_sheet_is_a_bad_row(session, desk, inspector_qian):
    attendance_record(session=session, staff=desk.people[0], actor=inspector_qian, score=Decimal(70))
    content = sheet(("张敏", "CSC", 80), ("刘洋", "", 75), ("刘洋", "", 76))
    report = attendance_import(session=session, content=content, file_name="a.xlsx", actor=inspector_qian)
    assert [r.ok for r in report.rows] == [False, True, False]
    assert "already recorded" in report.rows[0].errors[0]
    assert "already on row 3" in report.rows[2].errors[0]
    assert Attendance.objects.count() == 1


def test_a_file_that_is_not_a_sheet_is_refused(session, inspector_qian):
    with pytest.raises(ValidationError) as error:
        attendance_import(
            session=session, content=b"not a workbook", file_name="x.xlsx", actor=inspector_qian
        )
    assert "file" in error.value.message_dict


def test_a_csv_sheet_without_a_name_column_is_refused(session, inspector_qian):
    with pytest.raises(ValidationError) as error:
        attendance_import(
            session=session, content="成绩\n90\n".encode(), file_name="x.csv", actor=inspector_qian
        )
    assert "姓名" in error.value.message_dict["file"][0]


def test_an_agent_cannot_import(session, agent_ann):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        attendance_import(session=session, content=GOOD_AND_BAD, file_name="a.xlsx", actor=agent_ann)
