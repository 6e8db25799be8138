"""Scorecard API under /api/v1/performance/: ``kpis/`` (the catalogue), ``scorecards/`` (those in the
caller's scope) and ``scorecards/{id}/scores/?period=YYYY-MM`` (also ``YYYY-Qn`` or ``YYYY``): every KPI's
value, target, score, band, source and the link to its rows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.performance.api.serializers.scorecards import (
    KpiSerializer,
    ScorecardSerializer,
    ScoresSerializer,
)
from carebridge.performance.domain.periods import parse_span
from carebridge.performance.models import Kpi, Scorecard
from carebridge.performance.selectors.scores import PERMISSION, scorecard_scores, scorecards_visible


class CanViewScorecards(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(PERMISSION))


class KpiViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The KPI catalogue."""

    permission_classes = [CanViewScorecards]
    serializer_class = KpiSerializer
    queryset = Kpi.objects.filter(is_active=True).order_by("code")


class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Scorecards of the hospital, departments, the customer-service centre and staff, in scope."""

    permission_classes = [CanViewScorecards]
    serializer_class = ScorecardSerializer
    queryset = Scorecard.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Scorecard]:
        return scorecards_visible(user=self.request.user).order_by("level", "name", "id")

    @extend_schema(
        parameters=[OpenApiParameter("period", str, description="YYYY-MM, YYYY-Qn or YYYY", required=True)],
        responses=ScoresSerializer,
    )
    @action(detail=True, methods=["get"])
    def scores(self, request: Request, pk: str | None = None) -> Response:
        card = self.get_object()
        span = parse_span(request.query_params.get("period"))
        if span is None:
            raise ValidationError({"period": ["Give the period as YYYY-MM, YYYY-Qn or YYYY."]})
        result = scorecard_scores(scorecard=card, span=span)
        data = ScoresSerializer(result.to_json()).data
        for perspective in data["perspectives"]:
            for objective in perspective["objectives"]:
                for kpi in objective["kpis"]:
                    if kpi["rows_url"]:
                        kpi["rows_url"] = request.build_absolute_uri(kpi["rows_url"])
        return Response(data)
