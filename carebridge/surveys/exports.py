"""Exports of a wave's responses for analysts: long or wide, as CSV, Excel or SPSS (.sav).

* **wide**: one row per response — id, wave, department code, mode, language, submission date and time,
  time taken, overall and dimension indexes, case-mix adjusters, then one column per item code;
* **long**: one row per answer — the response's columns, then item code and value (``na`` for "not
  applicable").

No direct identifier leaves the hospital this way: no names, phones, MRNs or invitation tokens, only
the response id. In anonymous waves each row shows only its cell of ``domain.anonymity`` (department,
month, mode — each withheld where fewer than ``min_report_group`` responses would share it), so a row
cannot be joined to the wave's invitation list.
CSV is streamed (UTF-8 with BOM, so Excel opens Chinese text correctly); Excel adds a sheet of item
metadata; SPSS files carry variable labels (the item texts) and value labels (the answer anchors). Each
export writes an audit row.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from carebridge.core.excel import safe_cell
from carebridge.core.services.audit import audit_record
from carebridge.surveys.choices import ItemType
from carebridge.surveys.domain import anonymity, instruments
from carebridge.surveys.models import Response, Wave

SHAPES = ("long", "wide")
FILE_TYPES = ("csv", "xlsx", "sav")
ADJUSTERS = ("age_band", "sex", "service_line", "lag_days", "srh", "edu")
BASE_COLUMNS = (
    "response_id",
    "wave_id",
    "department",
    "mode",
    "language",
    "submitted_at",
    "duration_seconds",
    "score",
)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}
ITEM_HEADER = (
    "code",
    "text_zh",
    "text_en",
    "type",
    "scale_min",
    "scale_max",
    "reverse",
    "dimension",
    "indicator",
    "weight",
    "overall_weight",
    "column",  # the item's column in the wide shape (``item_columns``)
)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _specs(wave: Wave) -> list[instruments.ItemSpec]:
    return list(instruments.iter_items(wave.version.definition))


def _dimension_codes(wave: Wave) -> list[str]:
    return [d["code"] for d in wave.version.definition.get("dimensions", []) if d.get("scored", True)]


def _shown(wave: Wave, responses: QuerySet[Response]) -> dict[int, anonymity.Shown] | None:
    """In an anonymous wave, what each response may show (None for a named wave)."""
    if not wave.anonymous:
        return None
    rows = [
        anonymity.Row(pk=pk, department_id=department, day=timezone.localdate(submitted), mode=mode)
        for pk, department, submitted, mode in responses.values_list(
            "pk", "department_id", "submitted_at", "mode"
        ).order_by("pk")
    ]
    return anonymity.generalise(rows, k=wave.min_report_group)


def _base(response: Response, shown: anonymity.Shown | None) -> list[Any]:
    if shown is not None:
        return [
            response.pk,
            response.wave_id,
            response.department.code if shown.department_id and response.department else "",
            shown.mode or "",
            response.language,
            shown.month.strftime("%Y-%m") if shown.month else "",
            None,
            response.score,
        ]
    submitted = timezone.localtime(response.submitted_at)
    return [
        response.pk,
        response.wave_id,
        response.department.code if response.department else "",
        response.mode,
        response.language,
        submitted.strftime("%Y-%m-%d %H:%M:%S"),
        response.duration_seconds,
        response.score,
    ]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return value


def header(wave: Wave, shape: str) -> list[str]:
    if shape == "long":
        return [*BASE_COLUMNS, "item", "value"]
    return [*_fixed_columns(wave), *item_columns(wave).values()]


def _fixed_columns(wave: Wave) -> list[str]:
    return [*BASE_COLUMNS, *(f"dim_{code}" for code in _dimension_codes(wave)), *ADJUSTERS]


# SPSS's reserved words, which no variable may be named.
SPSS_RESERVED = frozenset({"all", "and", "by", "eq", "ge", "gt", "le", "lt", "ne", "not", "or", "to", "with"})


def item_columns(wave: Wave) -> dict[str, str]:
    """Each item's column in the wide shape: its code, unless that names another column already (an item
    coded "score", "srh" or "dim_care"; SPSS also counts "Q1" and "q1" as one name) or is an SPSS reserved
    word: then ``item_<code>`` (and a number if need be). Every column name is then unique, and the file
    opens in SPSS and R as in Excel."""
    taken = {name.lower() for name in _fixed_columns(wave)}
    columns = {}
    for spec in _specs(wave):
        name = spec.code
        if name.lower() in taken or name.lower() in SPSS_RESERVED:
            name, number = f"item_{spec.code}", 2
            while name.lower() in taken:
                name, number = f"item_{spec.code}_{number}", number + 1
        taken.add(name.lower())
        columns[spec.code] = name
    return columns


def rows(wave: Wave, responses: QuerySet[Response], shape: str) -> Iterator[list[Any]]:
    """The data rows (without the header), reading the responses in chunks."""
    cells = _shown(wave, responses)
    codes = [spec.code for spec in _specs(wave)]
    dimensions = _dimension_codes(wave)
    queryset = responses.select_related("department", "wave").order_by("pk")
    for response in queryset.iterator(chunk_size=2000):
        shown = cells.get(response.pk) if cells is not None else None
        if cells is not None and shown is None:
            continue  # an anonymous wave too small to show any response
        base = _base(response, shown)
        adjusters = response.adjusters
        if shown is not None and shown.department_id is None:
            adjusters = {k: v for k, v in adjusters.items() if k != "service_line"}
        if shape == "long":
            for code in codes:
                if code in response.answers:
                    yield [*base, code, _cell(response.answers[code])]
            continue
        yield [
            *base,
            *(response.dimension_scores.get(code) for code in dimensions),
            *(adjusters.get(name) for name in ADJUSTERS),
            *(_cell(response.answers.get(code)) for code in codes),
        ]


def item_metadata(wave: Wave) -> list[list[Any]]:
    """One row per item: code, texts, type, scale, reverse-keying, place in the indicator system, weights,
    and its column in the wide shape."""
    columns = item_columns(wave)
    return [
        [
            spec.code,
            instruments.localised(spec.text, "zh-hans"),
            spec.text.get("en", "") if isinstance(spec.text, dict) else "",
            spec.item_type,
            spec.scale_min,
            spec.scale_max,
            spec.reverse,
            spec.dimension,
            spec.indicator,
            spec.weight,
            round(spec.overall_weight, 6),
            columns[spec.code],
        ]
        for spec in _specs(wave)
    ]


def _csv_stream(head: list[str], data: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(head)
    for row in data:
        yield writer.writerow(["" if value is None else safe_cell(value) for value in row])


def _xlsx_bytes(head: list[str], data: Iterable[list[Any]], wave: Wave) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(head)
    for row in data:
        sheet.append([safe_cell(value) for value in row])
    items = workbook.create_sheet("items")
    items.append(list(ITEM_HEADER))
    for row in item_metadata(wave):
        items.append([safe_cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _value_labels(spec: instruments.ItemSpec) -> dict[Any, str]:
    if spec.item_type in (ItemType.SINGLE,):
        labels = {}
        for option in spec.options:
            value = option.get("value")
            if isinstance(value, int | float) and not isinstance(value, bool):
                labels[value] = instruments.localised(option.get("label"), "zh-hans")
        return labels
    if spec.item_type == ItemType.YES_NO:
        return {1: "是", 0: "否"}
    anchors = (
        (spec.spec.get("labels") or {}).get("zh-hans") if isinstance(spec.spec.get("labels"), dict) else None
    )
    if anchors and spec.scale_min is not None:
        return {int(spec.scale_min) + i: str(label) for i, label in enumerate(anchors)}
    return {}


def _sav_bytes(head: list[str], data: Iterable[list[Any]], wave: Wave, shape: str) -> bytes:
    """An SPSS file via pyreadstat; "not applicable" becomes a missing value in numeric columns."""
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame(list(data), columns=head)
    labels = {column: column for column in head}
    value_labels: dict[str, dict[Any, str]] = {}
    if shape == "wide":
        columns = item_columns(wave)
        for spec in _specs(wave):
            column = columns[spec.code]
            labels[column] = instruments.localised(spec.text, "zh-hans")[:250]
            if spec.scored:
                frame[column] = pd.to_numeric(frame[column].replace("na", None), errors="coerce")
            if _value_labels(spec):
                value_labels[column] = _value_labels(spec)
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(lambda v: "" if v is None else str(v))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "responses.sav"
        pyreadstat.write_sav(
            frame,
            str(path),
            column_labels=[labels[c] for c in frame.columns],
            variable_value_labels=value_labels,
        )
        return path.read_bytes()


def export_responses(
    *, wave: Wave, responses: QuerySet[Response], shape: str, file_type: str, actor: Any
) -> HttpResponse | StreamingHttpResponse:
    """The download of a wave's responses (already scoped by the caller's selector)."""
    if shape not in SHAPES or file_type not in FILE_TYPES:
        raise ValueError(f"Unknown export {shape}/{file_type}")
    responses = responses.filter(wave=wave)
    head = header(wave, shape)
    name = f"wave{wave.pk}-responses-{shape}.{file_type}"
    audit_record(
        actor=actor,
        action="survey.responses.export",
        obj=wave,
        summary=f"{shape} {file_type}",
        changes={"rows": responses.count()},
    )
    response: HttpResponse | StreamingHttpResponse
    if file_type == "csv":
        response = StreamingHttpResponse(
            _csv_stream(head, rows(wave, responses, shape)), content_type=CONTENT_TYPES["csv"]
        )
    elif file_type == "xlsx":
        response = HttpResponse(
            _xlsx_bytes(head, rows(wave, responses, shape), wave), content_type=CONTENT_TYPES["xlsx"]
        )
    else:
        response = HttpResponse(
            _sav_bytes(head, rows(wave, responses, shape), wave, shape), content_type=CONTENT_TYPES["sav"]
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
