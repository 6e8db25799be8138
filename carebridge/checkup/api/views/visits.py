"""Visits API: the list (filters: date, status, number, group), one visit with its orders and results
(an access-log row per read), ``next-room/`` and ``report.pdf``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.checkup.api.serializers.visits import (
    CheckupSuggestionSerializer,
    CheckupVisitDetailSerializer,
    CheckupVisitSerializer,
)
from carebridge.checkup.choices import VisitStatus
from carebridge.checkup.exports import report_data, report_pdf
from carebridge.checkup.filters import VisitFilterSet
from carebridge.checkup.models import OrderedItem, Result, Visit
from carebridge.checkup.selectors.flow import next_room
from carebridge.checkup.selectors.visits import visit_list
from carebridge.checkup.services.registry import customer_access_log
from carebridge.core.api.permissions import ModelPermissions, ModelViewPermission
from carebridge.core.http import client_ip


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Checkup visits in the caller's scope."""

    permission_classes = [ModelPermissions]
    filterset_class = VisitFilterSet
    queryset = Visit.objects.none()
    lookup_value_regex = r"\d+"

    def get_serializer_class(self) -> Any:
        return CheckupVisitDetailSerializer if self.action == "retrieve" else CheckupVisitSerializer

    def get_queryset(self) -> QuerySet[Visit]:
        queryset = visit_list(user=self.request.user).order_by("-scheduled_for", "number", "id")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "orders",
                    queryset=OrderedItem.objects.select_related("item__room").order_by(
                        "item__sequence", "id"
                    ),
                ),
                Prefetch(
                    "results",
                    queryset=Result.objects.select_related("item")
                    .prefetch_related("item__coded_values")
                    .order_by("item__sequence", "id"),
                ),
            )
        return queryset

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        visit = self.get_object()
        customer_access_log(patient=visit.patient, user=request.user, ip_address=client_ip(request), api=True)
        return Response(CheckupVisitDetailSerializer(visit).data)

    @extend_schema(responses={200: CheckupSuggestionSerializer})
    @action(detail=True, methods=["get"], url_path="next-room")
    def next_room(self, request: Request, pk: str | None = None) -> Response:
        """Where the person should go now: the shortest expected wait that respects the preparation
        rules (fasting items first)."""
        visit = self.get_object()
        return Response(CheckupSuggestionSerializer(next_room(visit=visit)).data)


class VisitReportPdfView(APIView):
    """The signed report of a visit as PDF (Chinese, with trends)."""

    permission_classes = [ModelViewPermission]
    queryset = Visit.objects.none()

    @extend_schema(
        operation_id="v1_checkup_visits_report_pdf",
        responses={(200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY)},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        visit = visit_list(user=request.user).filter(pk=pk).first()
        if visit is None or visit.status not in (VisitStatus.SIGNED, VisitStatus.RELEASED):
            raise Http404("No signed report for this visit in your scope.")
        customer_access_log(patient=visit.patient, user=request.user, ip_address=client_ip(request), api=True)
        response = HttpResponse(
            report_pdf(report_data(visit, user=request.user)), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{visit.number}.pdf"'
        return response
