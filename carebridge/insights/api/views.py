"""Insights API: the analyses of the pages as JSON, scoped to the caller.

* ``GET /api/v1/insights/analyses/{kind}/?instrument=…`` — a fast analysis (indexes, distributions,
  trends, benchmark, ipa, comments); analysis parameters are further query parameters (``by``,
  ``adjusters=age_band,sex``, ``p_adjust``, ``level``, ``importance``…);
* ``POST /api/v1/insights/runs/`` ``{"kind", "selection": {…}, "parameters": {…}}`` — start or reuse a
  background run (psychometrics, csi, drivers); ``GET /api/v1/insights/runs/{id}/`` — its progress
  and result;
* ``POST /api/v1/insights/ahp/check/`` ``{"labels", "matrix"}`` — AHP weights and consistency (no change).

Everything needs ``surveys.analyse_surveys``; bad input is a 400 with field errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.insights import selectors
from carebridge.insights.analysis.ahp import ahp_check
from carebridge.insights.analysis.kinds import HEAVY, KINDS, analyse
from carebridge.insights.analysis.selection import ANALYSE_PERMISSION
from carebridge.insights.api.serializers import (
    AhpInputSerializer,
    AhpOutputSerializer,
    RunInputSerializer,
    RunSerializer,
    SelectionSerializer,
)
from carebridge.insights.services.runs import run_request
from carebridge.insights.services.weights import inconsistency_message
from carebridge.lib.stats.errors import StatsInputError

FAST = tuple(k for k in KINDS if k not in HEAVY)
SELECTION_FIELDS = ("instrument", "version", "wave", "department", "date_from", "date_to")


class CanAnalyse(BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(
            request.user and request.user.is_authenticated and request.user.has_perm(ANALYSE_PERMISSION)
        )


class AnalysisView(APIView):
    """One fast analysis of the selected responses in the caller's scope."""

    permission_classes = [CanAnalyse]

    @extend_schema(
        parameters=[
            SelectionSerializer,
            OpenApiParameter("kind", str, OpenApiParameter.PATH, description=", ".join(FAST)),
            OpenApiParameter("by", str, description="Grouping or unit (department, ward, hospital…)"),
            OpenApiParameter("adjusters", str, description="Comma-separated case-mix adjusters (benchmark)"),
            OpenApiParameter("mode", bool, description="Adjust for survey mode (benchmark)"),
            OpenApiParameter("p_adjust", str, description="holm or BH (benchmark)"),
            OpenApiParameter("level", str, description="auto, dimension or item (ipa)"),
            OpenApiParameter("importance", str, description="derived or relative_weights (ipa)"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, kind: str) -> Response:
        if kind not in FAST:
            raise NotFound(f"No such analysis; use one of {', '.join(FAST)} (the others are runs).")
        payload = SelectionSerializer(data=request.query_params)
        payload.is_valid(raise_exception=True)
        parameters = {k: v for k, v in request.query_params.items() if k not in SELECTION_FIELDS}
        try:
            result = analyse(
                user=request.user, selection=payload.selection(), kind=kind, parameters=parameters
            )
        except StatsInputError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error
        return Response({"kind": kind, "result": result})


class RunListView(APIView):
    permission_classes = [CanAnalyse]

    @extend_schema(request=RunInputSerializer, responses={202: RunSerializer, 200: RunSerializer})
    def post(self, request: Request) -> Response:
        payload = RunInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        selection = SelectionSerializer(data=request.data["selection"])
        selection.is_valid(raise_exception=True)
        run = run_request(
            user=request.user,
            kind=payload.validated_data["kind"],
            selection=selection.selection(),
            parameters=payload.validated_data.get("parameters") or {},
        )
        code = status.HTTP_200_OK if run.status == "done" else status.HTTP_202_ACCEPTED
        return Response(RunSerializer(run).data, status=code)


class RunDetailView(APIView):
    permission_classes = [CanAnalyse]

    @extend_schema(responses={200: RunSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return Response(RunSerializer(selectors.run_get(user=request.user, pk=pk)).data)


class AhpCheckView(APIView):
    permission_classes = [CanAnalyse]

    @extend_schema(request=AhpInputSerializer, responses={200: AhpOutputSerializer})
    def post(self, request: Request) -> Response:
        payload = AhpInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            check = ahp_check(payload.validated_data["labels"], np.array(payload.validated_data["matrix"]))
        except StatsInputError as error:
            raise ValidationError({"matrix": [str(error)]}) from error
        data = {
            "weights": check.weights,
            "lambda_max": check.lambda_max,
            "ci": check.ci,
            "ri": check.ri,
            "cr": check.cr,
            "consistent": check.consistent,
            "disagreements": [d.__dict__ for d in check.disagreements],
            "message": "" if check.consistent else inconsistency_message(check),
        }
        return Response(AhpOutputSerializer(data).data)
