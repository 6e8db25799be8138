"""Reading an employer's roster (团检名单) from Excel, row by row.

The first row names the columns, in Chinese or English (姓名/name, 性别/sex, 出生日期/birth date,
身份证号/national ID, 手机/phone, 人员类别/employee class, 工号/employee number); their order is free.
Each data row becomes a :class:`RosterRow` with the problems found in it alone (a name, a valid national
ID or a birth date and sex, a valid phone, a class, no ID twice in the file). What needs the database
(the class exists in the contract, the person is already registered) is the service's part.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from carebridge.core.validators import (
    national_id_birth_date,
    national_id_sex,
    normalise_national_id,
    normalise_phone,
    validate_national_id,
    validate_phone,
)

HEADERS: dict[str, str] = {
    "姓名": "name",
    "name": "name",
    "性别": "sex",
    "sex": "sex",
    "出生日期": "birth_date",
    "birth date": "birth_date",
    "身份证号": "national_id",
    "身份证号码": "national_id",
    "national id": "national_id",
    "手机": "phone",
    "手机号": "phone",
    "电话": "phone",
    "phone": "phone",
    "人员类别": "class_name",
    "类别": "class_name",
    "employee class": "class_name",
    "工号": "employee_no",
    "employee number": "employee_no",
}
REQUIRED_COLUMNS = ("name", "class_name")
SEX_WORDS = {"男": "M", "女": "F", "m": "M", "f": "F", "male": "M", "female": "F"}
MAX_ROWS = 5000


class RosterFileError(ValueError):
    """The file as a whole cannot be read (not a workbook, no header, a required column missing)."""


@dataclass
class RosterRow:
    number: int  # the row number in the sheet (the header is row 1)
    name: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    national_id: str = ""
    phone: str = ""
    class_name: str = ""
    employee_no: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value).replace("/", "-").replace(".", "-")
    return dt.date.fromisoformat(text)


def _check(row: RosterRow, raw: dict[Any, Any]) -> None:
    if not row.name:
        row.errors.append(_("The name is missing."))
    if not row.class_name:
        row.errors.append(_("The employee class is missing."))
    if row.national_id:
        try:
            validate_national_id(row.national_id)
        except ValidationError as error:
            row.errors.extend(error.messages)
        else:
            if row.birth_date is None:
                row.birth_date = national_id_birth_date(row.national_id)
            elif row.birth_date != national_id_birth_date(row.national_id):
                row.errors.append(_("The birth date does not match the national ID."))
            id_sex = national_id_sex(row.national_id)
            if not row.sex:
                row.sex = id_sex
            elif row.sex != id_sex:
                row.errors.append(_("The sex does not match the national ID."))
    elif row.birth_date is None or not row.sex:
        row.errors.append(_("Without a national ID, the birth date and the sex are required."))
    if row.phone:
        try:
            validate_phone(row.phone)
        except ValidationError as error:
            row.errors.extend(error.messages)
    if raw.get("sex") and not row.sex:
        row.errors.append(_("The sex must be 男 or 女."))


def read_roster(content: bytes) -> list[RosterRow]:
    """Every data row of the workbook's first sheet, with its own problems; ``RosterFileError`` when the
    file cannot be read at all."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file that is not a workbook
        raise RosterFileError(_("The file is not an Excel workbook (.xlsx).")) from error
    sheet = workbook.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = next(lines, None)
    if header is None:
        raise RosterFileError(_("The sheet is empty."))
    columns = {index: HEADERS.get(_text(title).lower()) for index, title in enumerate(header)}
    missing = [c for c in REQUIRED_COLUMNS if c not in columns.values()]
    if missing:
        raise RosterFileError(
            _("The first row must name the columns; missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    rows: list[RosterRow] = []
    seen_ids: dict[str, int] = {}
    for number, values in enumerate(lines, start=2):
        raw = {columns[i]: v for i, v in enumerate(values) if columns.get(i)}
        if not any(_text(v) for v in raw.values()):
            continue
        if len(rows) >= MAX_ROWS:
            raise RosterFileError(_("A roster may have at most %(n)s rows.") % {"n": MAX_ROWS})
        row = RosterRow(number=number)
        row.name = _text(raw.get("name"))
        row.sex = SEX_WORDS.get(_text(raw.get("sex")).lower(), "")
        row.national_id = normalise_national_id(_text(raw.get("national_id")))
        row.phone = normalise_phone(_text(raw.get("phone")))
        row.class_name = _text(raw.get("class_name"))
        row.employee_no = _text(raw.get("employee_no"))
        try:
            row.birth_date = _date(raw.get("birth_date"))
        except ValueError:
            row.errors.append(_("The birth date is not a date (YYYY-MM-DD)."))
        _check(row, raw)
        if row.national_id:
            if row.national_id in seen_ids:
                row.errors.append(
                    _("The same national ID is on row %(row)s.") % {"row": seen_ids[row.national_id]}
                )
            seen_ids.setdefault(row.national_id, number)
        rows.append(row)
    workbook.close()
    return rows
