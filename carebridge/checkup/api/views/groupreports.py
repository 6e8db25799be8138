"""Group report API (issue 14): ``/api/v1/checkup/groups/{id}/report/?year=YYYY`` — the report's numbers
with each finding's ``observed``, ``expected`` and ``strata`` (``n``, ``cases``, ``reference_rate``,
``weight``) so an analyst can check the standardisation; ``?audience=employer`` for the employer's version
(aggregates only, cells under 5 suppressed); ``report.pdf`` and ``report.xlsx`` of either version."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import override
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.checkup.exports import group_report_pdf, group_report_xlsx
from carebridge.checkup.models import EmployerGroup
from carebridge.checkup.selectors.groupreport_text import AUDIENCES, EMPLOYER, STAFF, report_payload
from carebridge.checkup.selectors.groupreports import group_report, report_group, years_of
from carebridge.core.services.audit import audit_record
from carebridge.lib.text import is_digits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PARAMETERS = [
    OpenApiParameter("year", int, description="The report's year (default: the unit's latest)"),
    OpenApiParameter("audience", str, enum=list(AUDIENCES), description="staff (default) or employer"),
]


class CanReadGroupReports(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("checkup.view_checkup_statistics"))


class _GroupReportBase(APIView):
    permission_classes = [CanReadGroupReports]

    def _parse(self, request: Request, pk: int) -> tuple[EmployerGroup, int, str]:
        group = report_group(user=request.user, pk=pk)
        if group is None:
            raise Http404("No such group in your scope.")
        year_text = request.query_params.get("year", "")
        audience = request.query_params.get("audience", STAFF)
        if audience not in AUDIENCES:
            raise ValidationError({"audience": ["staff or employer"]})
        if year_text:
            if not is_digits(year_text) or not 2000 <= int(year_text) <= 2100:
                raise ValidationError({"year": ["A year between 2000 and 2100."]})
            year = int(year_text)
        else:
            years = years_of(user=request.user, group=group)
            if not years:
                raise Http404("The unit has no concluded checkup.")
            year = years[0]
        return group, year, audience

    def _payload(self, request: Request, group: EmployerGroup, year: int, audience: str) -> dict[str, Any]:
        return report_payload(group_report(user=request.user, group=group, year=year), audience=audience)


class GroupReportView(_GroupReportBase):
    """A unit's report for a year (staff or employer version)."""

    @extend_schema(parameters=PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, pk: int) -> Response:
        group, year, audience = self._parse(request, pk)
        audit_record(
            actor=request.user,
            action="checkup.group_report.api",
            obj=group,
            summary=f"{group.name} {year} {audience}",
        )
        return Response(self._payload(request, group, year, audience))


class GroupReportPdfView(_GroupReportBase):
    """The report as a Chinese PDF with its charts."""

    @extend_schema(
        operation_id="v1_checkup_groups_report_pdf",
        parameters=PARAMETERS,
        responses={(200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        group, year, audience = self._parse(request, pk)
        with override("zh-hans"):
            payload = self._payload(request, group, year, audience)
        audit_record(
            actor=request.user,
            action="checkup.group_report.pdf",
            obj=group,
            summary=f"{group.name} {year} {audience}",
        )
        response = HttpResponse(group_report_pdf(payload), content_type="application/pdf")
        suffix = "-employer" if audience == EMPLOYER else ""
        response["Content-Disposition"] = (
            f'attachment; filename="group-report-{group.code}-{year}{suffix}.pdf"'
        )
        return response


class GroupReportXlsxView(_GroupReportBase):
    """The report as an Excel file."""

    @extend_schema(
        operation_id="v1_checkup_groups_report_xlsx",
        parameters=PARAMETERS,
        responses={(200, XLSX): OpenApiResponse(response=OpenApiTypes.BINARY)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        group, year, audience = self._parse(request, pk)
        with override("zh-hans"):
            payload = self._payload(request, group, year, audience)
        audit_record(
            actor=request.user,
            action="checkup.group_report.xlsx",
            obj=group,
            summary=f"{group.name} {year} {audience}",
        )
        response = HttpResponse(group_report_xlsx(payload), content_type=XLSX)
        suffix = "-employer" if audience == EMPLOYER else ""
        response["Content-Disposition"] = (
            f'attachment; filename="group-report-{group.code}-{year}{suffix}.xlsx"'
        )
        return response
