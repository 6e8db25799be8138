"""Import of legacy responses from Excel (.xlsx) or CSV: one row per response, validated row by row.

Columns (first row, case-insensitive): one per item code of the wave's version, plus the optional
``department`` (department code), ``submitted_at`` (``2026-11-03``, ``2026-11-03 14:20`` or ISO 8601;
local time of the hospital), ``mode`` (how the answers were collected: ``web``, ``phone``, ``paper``,
or ``import``, the default) and ``source_key`` (the legacy system's id). Cells: numbers for scored
items, ``na``/``不适用`` for "not applicable", an option value (several separated by ``;`` for multiple
choice), text for comments.

The validation report lists every rejected row with its row number (as Excel shows it), its column and
the reason. A file with errors imports nothing, unless the user asks to import the valid rows only.
Re-importing a file is idempotent: each row's ``source_key`` (given, or ``<file SHA-256>:<row>``) is
unique, and rows already imported are skipped and counted. The batch and its report are kept as an
:class:`~carebridge.surveys.models.ImportBatch`. Imported responses record their mode and open no
desk case (legacy answers arrive too late for a call back).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from carebridge.core.models import Department
from carebridge.core.services.audit import audit_record
from carebridge.surveys.choices import ItemType, ResponseMode
from carebridge.surveys.domain import instruments
from carebridge.surveys.domain.events import responses_imported
from carebridge.surveys.models import ImportBatch, Response, Wave
from carebridge.surveys.services.responses import answer_error_message, response_store

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
META_COLUMNS = ("department", "submitted_at", "mode", "source_key")
NA_WORDS = frozenset({"na", "n/a", "不适用"})


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "reason": self.reason}


@dataclass
class _Row:
    number: int
    answers: dict[str, Any]
    department: Department | None
    submitted_at: dt.datetime
    mode: str
    source_key: str


def _cells_csv(content: bytes) -> Iterator[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ValidationError({"file": [_("The file is neither UTF-8 nor GBK text.")]})
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def _cells_xlsx(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors for a broken file
        raise ValidationError({"file": [_("This is not a readable Excel file.")]}) from exc
    sheet = workbook.worksheets[0]
    for row in sheet.iter_rows(values_only=True):
        yield ["" if cell is None else cell for cell in row]


def read_table(*, file_name: str, content: bytes) -> list[list[Any]]:
    """The file's rows (the first is the header), from .xlsx or CSV (UTF-8 with or without BOM, or GBK)."""
    if len(content) > MAX_BYTES:
        raise ValidationError({"file": [_("The file is larger than 20 MB.")]})
    if content[:2] == b"PK" or file_name.lower().endswith(".xlsx"):
        rows = list(_cells_xlsx(content))
    else:
        rows = list(_cells_csv(content))
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        raise ValidationError({"file": [_("The file is empty.")]})
    if len(rows) > MAX_ROWS + 1:
        raise ValidationError({"file": [_("At most 50,000 rows per file.")]})
    return rows


def _cell_value(spec: instruments.ItemSpec, cell: Any) -> Any:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, str):
        cell = cell.strip()
        if cell.lower() in NA_WORDS:
            return instruments.NOT_APPLICABLE
        if spec.item_type == ItemType.MULTIPLE:
            return [part.strip() for part in cell.replace("；", ";").split(";") if part.strip()] or None
    return None if cell == "" else cell


def _when(cell: Any, default: dt.datetime) -> dt.datetime | None:
    """A cell as an aware datetime (local time when it has no zone); None when unreadable."""
    if cell in ("", None):
        return default
    if isinstance(cell, dt.datetime):
        moment = cell
    elif isinstance(cell, dt.date):
        moment = dt.datetime.combine(cell, dt.time(12, 0))
    else:
        text = str(cell).strip()
        parsed = parse_datetime(text.replace("/", "-"))
        day = None if parsed else parse_date(text.replace("/", "-"))
        if parsed is None and day is None:
            return None
        moment = parsed or dt.datetime.combine(day, dt.time(12, 0))  # type: ignore[arg-type]
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _check_header(
    header: list[Any], specs: dict[str, instruments.ItemSpec]
) -> tuple[list[str], list[Problem]]:
    columns = [str(cell).strip() for cell in header]
    problems = []
    lowered = [column.lower() if column.lower() in META_COLUMNS else column for column in columns]
    for column in lowered:
        if column and column not in specs and column not in META_COLUMNS:
            problems.append(Problem(1, column, _("Unknown column: neither an item code nor a known field.")))
    for column in {c for c in lowered if lowered.count(c) > 1 and c}:
        problems.append(Problem(1, column, _("This column appears twice.")))
    if not any(column in specs for column in lowered):
        problems.append(Problem(1, "", _("No column is an item code of this questionnaire.")))
    return lowered, problems


def _parse_row(
    number: int,
    values: dict[str, Any],
    *,
    specs: dict[str, instruments.ItemSpec],
    definition: dict[str, Any],
    departments: dict[str, Department],
    default_key: str,
    now: dt.datetime,
) -> tuple[_Row | None, list[Problem]]:
    problems: list[Problem] = []
    raw = {code: _cell_value(spec, values.get(code, "")) for code, spec in specs.items() if code in values}
    cleaned, errors = instruments.clean_answers(definition, {k: v for k, v in raw.items() if v is not None})
    problems.extend(Problem(number, code, answer_error_message(error)) for code, error in errors.items())
    code = str(values.get("department", "")).strip()
    department = departments.get(code) if code else None
    if code and department is None:
        problems.append(
            Problem(number, "department", _("Unknown department code: %(code)s.") % {"code": code})
        )
    submitted_at = _when(values.get("submitted_at", ""), now)
    if submitted_at is None:
        problems.append(Problem(number, "submitted_at", _("Not a date or time (use 2026-11-03 14:20).")))
    elif submitted_at > now + dt.timedelta(minutes=5):
        problems.append(Problem(number, "submitted_at", _("The date is in the future.")))
    mode = str(values.get("mode", "")).strip().lower() or ResponseMode.IMPORT
    if mode not in ResponseMode.values:
        problems.append(Problem(number, "mode", _("Unknown mode: use web, phone, paper or import.")))
    key = str(values.get("source_key", "")).strip() or default_key
    if len(key) > 128:
        problems.append(Problem(number, "source_key", _("At most 128 characters.")))
    if problems or submitted_at is None:
        return None, problems
    return _Row(number, cleaned, department, submitted_at, mode, key), []


@transaction.atomic
def responses_import(
    *,
    wave: Wave,
    actor: Any,
    file_name: str,
    content: bytes,
    valid_rows_only: bool = False,
    now: dt.datetime | None = None,
) -> ImportBatch:
    """Validate the file and import its responses (all, or with ``valid_rows_only`` the valid ones).

    Raises ValidationError for a file that cannot be read at all; otherwise always returns the batch
    with its report (``committed`` False when nothing was imported because of errors).
    """
    now = now or timezone.now()
    rows = read_table(file_name=file_name, content=content)
    sha = hashlib.sha256(content).hexdigest()
    definition = wave.version.definition
    specs = {spec.code: spec for spec in instruments.iter_items(definition)}
    columns, problems = _check_header(rows[0], specs)
    departments = {d.code: d for d in Department.objects.filter(hospital_id=wave.hospital_id)}
    parsed: list[_Row] = []
    seen_keys: dict[str, int] = {}
    if not problems:
        for number, cells in enumerate(rows[1:], start=2):
            values = {
                column: cells[i] if i < len(cells) else "" for i, column in enumerate(columns) if column
            }
            row, row_problems = _parse_row(
                number,
                values,
                specs=specs,
                definition=definition,
                departments=departments,
                default_key=f"{sha}:{number}",
                now=now,
            )
            if row is not None and row.source_key in seen_keys:
                reason = _("Same source key as row %(row)s.") % {"row": seen_keys[row.source_key]}
                row_problems, row = [Problem(number, "source_key", reason)], None
            problems.extend(row_problems)
            if row is not None:
                seen_keys[row.source_key] = number
                parsed.append(row)
    already = set(
        Response.objects.filter(source_key__in=list(seen_keys)).values_list("source_key", flat=True)
    )
    commit = not problems or (valid_rows_only and not any(p.row == 1 for p in problems))
    imported = 0
    if commit:
        for row in parsed:
            if row.source_key in already:
                continue
            response_store(
                wave=wave,
                answers=row.answers,
                mode=row.mode,
                language="zh-hans",
                submitted_at=row.submitted_at,
                department=row.department,
                source_key=row.source_key,
                adjusters={"service_line": row.department.code} if row.department else {},
            )
            imported += 1
    rejected_rows = len({p.row for p in problems if p.row > 1})
    notes = [p.as_json() for p in problems]
    if already:
        # Row 0: a note about the whole file, not a rejection.
        skipped = _("%(n)s rows were imported before and were skipped.") % {"n": len(already)}
        notes.append(Problem(0, "source_key", skipped).as_json())
    batch = ImportBatch.objects.create(
        wave=wave,
        file_name=file_name[:255],
        file_sha256=sha,
        uploaded_by=actor,
        rows_total=len(rows) - 1,
        rows_imported=imported,
        rows_rejected=rejected_rows,
        report=notes,
        committed=commit,
    )
    audit_record(
        actor=actor,
        action="survey.import",
        obj=batch,
        summary=f"{file_name[:100]}: {imported} imported, {rejected_rows} rejected",
        changes={"sha256": sha, "valid_rows_only": valid_rows_only, "skipped": len(already)},
    )
    if imported:
        transaction.on_commit(lambda: responses_imported.send(sender=ImportBatch, batch=batch))
    return batch
