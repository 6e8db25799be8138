"""The Excel export every list of the standards API offers: ``GET <list>/export/`` with the list's own
filters, the same rows in the same order, text cells escaped (``core.excel``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request

from carebridge.core.excel import sheet_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Column = tuple[Any, Callable[[Any], Any]]  # (label, possibly lazy; accessor)


def xlsx_response(*, name: str, columns: Sequence[Column], rows: Any) -> HttpResponse:
    content = sheet_bytes(
        title=name,
        header=[str(label) for label, _value in columns],
        rows=([value(row) for _label, value in columns] for row in rows),
        widths=[16] * len(columns),
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response


class ExportMixin:
    """Adds ``export/`` to a list viewset; the subclass names its columns."""

    export_name = "export"
    export_columns: Sequence[Column] = ()

    @extend_schema(responses={(200, XLSX): OpenApiResponse(description="The list as an Excel workbook")})
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        rows = self.filter_queryset(self.get_queryset())  # type: ignore[attr-defined]
        return xlsx_response(name=self.export_name, columns=self.export_columns, rows=rows)
