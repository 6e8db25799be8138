"""Excel and CSV exports: one sheet with a bold, frozen header row and set column widths (openpyxl), and
no cell a spreadsheet would run as a formula.

A name typed as ``=cmd|' /C calc'!A0`` must reach Excel as text (OWASP "CSV injection"): every text
value starting with ``= + - @``, a tab or a carriage return is written with a leading apostrophe.
:func:`safe_cell` does it for one value, :func:`neutralise_workbook` for every cell of a workbook built
by hand; :func:`sheet_bytes` and :class:`StyledBook` apply it themselves.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def safe_cell(value: Any) -> Any:
    """``value``, or the text with a leading apostrophe when a spreadsheet would read it as a formula.
    Control characters a worksheet cannot hold (stored text may carry them: the API fuzzing stage saved
    one) are shown as U+FFFD in the export; the stored text is left as it was."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def neutralise_workbook(workbook: Workbook) -> Workbook:
    """Escape every text cell of every sheet (for exports that build their workbook themselves)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                    cell.value = "'" + cell.value
                    cell.data_type = "s"
    return workbook


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
        sheet.append([safe_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for column in wrap_columns:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


class StyledBook:
    """A report's workbook built sheet by sheet: one sheet per section, a bold shaded header that wraps
    and stays frozen, real numbers with number formats (so a reader can recompute or chart them), every
    text cell passed through :func:`safe_cell`."""

    def __init__(self, *, freeze: str = "A2") -> None:
        self.freeze = freeze
        self.workbook = Workbook()
        default = self.workbook.active
        if default is not None:
            self.workbook.remove(default)

    def sheet(
        self,
        title: str,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        formats: Sequence[str | None] = (),
        widths: Sequence[int] = (),
        *,
        freeze: str | None = None,
    ) -> None:
        """Add a sheet; ``formats`` are number formats by column (``None``: none), ``freeze`` the first
        cell that scrolls (``"B2"`` keeps the first column in view too; default: the book's)."""
        sheet = self.workbook.create_sheet(title[:31])  # Excel's limit on sheet names
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        sheet.freeze_panes = freeze or self.freeze
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        for index, number_format in enumerate(formats, start=1):
            if number_format is None:
                continue
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                if isinstance(cell.value, int | float):
                    cell.number_format = number_format

    def bytes(self) -> bytes:
        neutralise_workbook(self.workbook)  # cells set after ``sheet`` (a summary's sentences) too
        output = io.BytesIO()
        self.workbook.save(output)
        return output.getvalue()
