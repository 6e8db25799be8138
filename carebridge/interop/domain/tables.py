"""Result files (CSV or Excel) read into rows (Django only for the translated messages): one result
per row with the columns ``mrn``, ``visit_number``, ``code`` and ``value`` (``unit`` and ``system``
optional). CSV in UTF-8 (with or without BOM) or GB18030, as Excel on Chinese Windows saves it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

REQUIRED = ("mrn", "visit_number", "code", "value")
OPTIONAL = ("unit", "system")
ALIASES = {
    "病案号": "mrn",
    "体检号": "visit_number",
    "项目编码": "code",
    "结果": "value",
    "单位": "unit",
    "编码体系": "system",
}
MAX_ROWS = 20_000


class TableError(ValueError):
    """The file as a whole cannot be read (format, header, size)."""


@dataclass(frozen=True)
class Row:
    line: int  # the line (CSV) or row (Excel) number a person sees in the file
    values: dict[str, str]


def _header(cells: list[str]) -> list[str]:
    names = [ALIASES.get(c.strip(), c.strip().lower()) for c in cells]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise TableError(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return names


def read_rows(content: bytes, filename: str) -> list[Row]:
    if filename.lower().endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
            raise TableError(_("Not an Excel workbook: %(error)s") % {"error": error}) from None
        table = [["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    else:
        for codec in ("utf-8-sig", "gb18030"):
            try:
                text = content.decode(codec)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise TableError(_("The file is neither UTF-8 nor GB18030 text."))
        table = list(csv.reader(io.StringIO(text)))
    if not table:
        raise TableError(_("The file is empty."))
    if len(table) > MAX_ROWS + 1:
        raise TableError(_("At most %(rows)s rows per file.") % {"rows": MAX_ROWS})
    names = _header(table[0])
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(names)}
        rows.append(Row(line=number, values=values))
    return rows
