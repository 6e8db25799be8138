"""Reading an attendance sheet (签到表) from Excel or CSV, row by row.

The first row names the columns, in Chinese or English (姓名/name, 科室/department, 成绩/score,
学时/hours); their order is free. Each data row becomes an :class:`AttendanceRow` with the problems found
in it alone (a name, a number where a number belongs, a score within 0–100, a person not twice in the
sheet). Who the person is and whether they are already recorded is the service's part.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

HEADERS: dict[str, str] = {
    "姓名": "name",
    "name": "name",
    "科室": "department",
    "科室代码": "department",
    "department": "department",
    "成绩": "score",
    "考核成绩": "score",
    "score": "score",
    "学时": "hours",
    "hours": "hours",
}
MAX_ROWS = 2000


class SheetError(ValueError):
    """The file as a whole cannot be read (not a workbook, no header, the name column missing)."""


@dataclass
class AttendanceRow:
    number: int  # the row number in the sheet (the header is row 1)
    name: str = ""
    department: str = ""
    score: Decimal | None = None
    hours: Decimal | None = None
    errors: list[str] = field(default_factory=list)
    staff_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(text: str, row: AttendanceRow, label: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        row.errors.append(_("%(column)s “%(value)s” is not a number.") % {"column": label, "value": text})
        return None
    if not value.is_finite():
        row.errors.append(_("%(column)s “%(value)s” is not a number.") % {"column": label, "value": text})
        return None
    return value


def _table(content: bytes, file_name: str) -> list[list[Any]]:
    if file_name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SheetError(_("The CSV file is not UTF-8 text.")) from None
        return [list(r) for r in csv.reader(io.StringIO(text))]
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:
        raise SheetError(_("The file is not an Excel workbook (.xlsx) or a CSV file.")) from None
    sheet = workbook.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def read_sheet(content: bytes, file_name: str) -> list[AttendanceRow]:
    """The sheet's data rows (blank rows skipped), each with the problems found in it."""
    table = _table(content, file_name)
    if not table:
        raise SheetError(_("The file is empty."))
    columns = [HEADERS.get(_text(h).lower()) for h in table[0]]
    if "name" not in columns:
        raise SheetError(_("The first row must name the columns; a “姓名” (name) column is required."))
    if len(table) - 1 > MAX_ROWS:
        raise SheetError(_("At most %(max)s rows can be imported at once.") % {"max": MAX_ROWS})
    rows: list[AttendanceRow] = []
    seen: dict[tuple[str, str], int] = {}
    for number, values in enumerate(table[1:], start=2):
        cells = {column: _text(value) for column, value in zip(columns, values, strict=False) if column}
        if not any(cells.values()):
            continue
        row = AttendanceRow(number=number, name=cells.get("name", ""), department=cells.get("department", ""))
        if not row.name:
            row.errors.append(_("The name is missing."))
        row.score = _number(cells.get("score", ""), row, _("Score"))
        if row.score is not None and not (Decimal(0) <= row.score <= Decimal(100)):
            row.errors.append(_("The score must be between 0 and 100."))
        row.hours = _number(cells.get("hours", ""), row, _("Hours"))
        if row.hours is not None and not (Decimal(0) < row.hours <= Decimal(24)):
            row.errors.append(_("The hours must be more than 0 and at most 24."))
        key = (row.name, row.department)
        if row.name and key in seen:
            row.errors.append(_("The same person is already on row %(row)s.") % {"row": seen[key]})
        elif row.name:
            seen[key] = number
        rows.append(row)
    return rows
