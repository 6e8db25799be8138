"""KPI API: the dashboard's figures and the rows behind each (``/api/v1/followup/kpis/``).

The same computation and scope as the pages (:mod:`carebridge.followup.selectors.kpis`); the same query
parameters (``start``, ``end`` as ``YYYY-MM``, ``by``, ``department``). Leaders get rows without the patient.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.core.api.pagination import StandardPagination
from carebridge.followup.api.serializers.kpis import KpiRowSerializer
from carebridge.followup.selectors import kpis
from carebridge.followup.views.kpis import kpi_drill, kpi_filters, kpi_line


def _check(request: Request) -> None:
    if not request.user.has_perm(kpis.PERMISSION):
        raise PermissionDenied()


def _cell(cell: kpis.Cell) -> dict[str, Any]:
    data: dict[str, Any] = {
        "numerator": cell.numerator,
        "denominator": cell.denominator,
        "value": round(cell.value, 2) if cell.value is not None else None,
    }
    if cell.has_detractors:
        data["detractors"] = cell.detractors
        data["nps"] = round(cell.nps, 2) if cell.nps is not None else None
    return data


_FILTERS = [
    OpenApiParameter("start", OpenApiTypes.STR, description="first month, YYYY-MM"),
    OpenApiParameter("end", OpenApiTypes.STR, description="last month, YYYY-MM"),
    OpenApiParameter("by", OpenApiTypes.STR, enum=list(kpis.DIMENSIONS)),
    OpenApiParameter("department", OpenApiTypes.INT),
]


class KpiTableView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=_FILTERS, responses=OpenApiTypes.OBJECT, summary="Follow-up KPIs")
    def get(self, request: Request) -> Response:
        _check(request)
        form, plans, period, by = kpi_filters(request)
        if form.is_bound and not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        table = kpis.kpi_table(plans=plans, period=period, by=by)
        totals = kpis.kpi_totals(plans=plans, period=period)
        return Response(
            {
                "start": f"{period.first:%Y-%m}",
                "end": f"{period.last:%Y-%m}",
                "by": by,
                "kpis": {code: str(spec.label) for code, spec in kpis.KPIS.items()},
                "totals": {code: _cell(cell) for code, cell in totals.items()},
                "rows": [
                    {"key": row.key, "label": row.label, "cells": {c: _cell(v) for c, v in row.cells.items()}}
                    for row in table
                ],
            }
        )


class KpiRowsView(APIView):
    permission_classes = [IsAuthenticated]
    pagination_class = StandardPagination  # (also tells the schema that the rows come in pages)

    @extend_schema(
        parameters=[
            *_FILTERS,
            OpenApiParameter("kpi", OpenApiTypes.STR, enum=list(kpis.KPIS), required=True),
            OpenApiParameter("part", OpenApiTypes.STR, enum=list(kpis.PARTS)),
            OpenApiParameter("group", OpenApiTypes.STR, enum=list(kpis.DIMENSIONS)),
            OpenApiParameter("key", OpenApiTypes.STR, description="the group's key from the table"),
        ],
        responses=KpiRowSerializer(many=True),
        summary="The rows behind a follow-up KPI",
    )
    def get(self, request: Request) -> Response:
        _check(request)
        try:
            spec, _part, rows, _described = kpi_drill(request)
        except Http404 as exc:
            raise NotFound(str(exc)) from exc
        identify = request.user.has_perm("patients.view_patient")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        data = []
        for item in page:
            line = kpi_line(item, spec, identify=identify)
            patient = line["patient"]
            data.append(
                {
                    "id": item.pk,
                    "plan": line["plan"].pk,
                    "patient": {"id": patient.pk, "name": patient.name, "mrn": patient.mrn}
                    if patient
                    else None,
                    "department": line["department"],
                    "ward": line["ward"],
                    "doctor": line["doctor"],
                    "tier": line["tier"],
                    "date": line["reference"],
                    "status": line["status"],
                }
            )
        return paginator.get_paginated_response(KpiRowSerializer(data, many=True).data)
