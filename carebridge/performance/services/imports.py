"""Hand-entered KPI figures imported from Excel (财务科、人事科 send their monthly sheets): one sheet, a
header row ``KPI code | month (YYYY-MM) | value | numerator | denominator | note``, one figure per row.
The import is one transaction: a sheet with any bad row is refused with every row's reason and
nothing is stored."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from carebridge.lib.periods import parse_month_label
from carebridge.performance.models import Kpi, KpiAssignment, Scorecard
from carebridge.performance.models.scorecards import KpiSource
from carebridge.performance.services.scorecards import kpi_entry_save

MAX_ROWS = 5000


def _number(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as error:
        raise ValueError from error


def kpi_entries_import(*, actor: Any, scorecard: Scorecard, upload: Any, name: str = "upload.xlsx") -> int:
    """Store every figure of the sheet for ``scorecard``; returns how many. Refused as a whole (with each
    bad row's number and reason) when any row is wrong."""
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:
        raise ValidationError(_("The file is not an Excel workbook (.xlsx).")) from error
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, max_row=MAX_ROWS + 1, values_only=True))
    on_card = {
        a.kpi.code: a.kpi
        for a in KpiAssignment.objects.filter(objective__perspective__scorecard=scorecard).select_related(
            "kpi"
        )
    }
    errors: list[str] = []
    parsed = []
    for number, row in enumerate(rows, start=2):
        if not row or all(cell in (None, "") for cell in row):
            continue
        cells = list(row) + [None] * 6
        code, month_text, value, numerator, denominator, note = cells[:6]
        kpi: Kpi | None = on_card.get(str(code or "").strip())
        month = parse_month_label(str(month_text or "")[:7])
        try:
            figures = (_number(value), _number(numerator), _number(denominator))
        except ValueError:
            figures = None
        if kpi is None:
            errors.append(
                _("Row %(row)s: “%(code)s” is not a KPI of this scorecard.") % {"row": number, "code": code}
            )
        elif kpi.source == KpiSource.COMPUTED:
            errors.append(
                _("Row %(row)s: “%(code)s” is computed by the platform.") % {"row": number, "code": code}
            )
        elif month is None:
            errors.append(_("Row %(row)s: the month must read YYYY-MM.") % {"row": number})
        elif figures is None or figures[0] is None:
            errors.append(_("Row %(row)s: the value must be a number.") % {"row": number})
        else:
            parsed.append((number, kpi, month, figures, str(note or "")[:255]))
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("The sheet has no figure."))
    with transaction.atomic():
        for number, kpi, month, (value, numerator, denominator), note in parsed:
            assert value is not None  # noqa: S101 - checked above
            kpi_entry_save(
                actor=actor,
                scorecard=scorecard,
                kpi=kpi,
                month=month,
                value=value,
                numerator=numerator,
                denominator=denominator,
                source=KpiSource.IMPORTED,
                note=note,
                source_key=f"{name}:{number}",
            )
    return len(parsed)
