"""Excel exports: one sheet with a bold, frozen header row and set column widths (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter


def sheet_bytes(
    *,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[int] = (),
    wrap_columns: Sequence[int] = (),
) -> bytes:
    """The .xlsx file of one table; ``wrap_columns`` are 1-based columns whose long text wraps."""
    workbook = Workbook()
    sheet = workbook.active or workbook.create_sheet()
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column in wrap_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
