"""Insights API: the analyses of the pages as JSON, scoped to the caller.

* ``GET /api/v1/insights/analyses/{kind}/?instrument=…`` — a fast analysis (indexes, distributions,
  trends, benchmark, ipa, comments); analysis parameters are further query parameters (``by``,
  ``adjusters=age_band,sex``, ``p_adjust``, ``level``, ``importance``…). 200 with ``"current": true``
  and the result; on a selection above ``INSIGHTS_INLINE_RESPONSES`` responses, while a background run
  computes it, 202 with that ``run`` (poll ``runs/{id}/``) and the last figures (``result``, null before
  the first; ``computed_at``); 200 with ``"current": false`` and the last figures when they are under a
  quarter of an hour old (a new run is asked after that) or their next run failed lately (``error``).
  A run that failed lately with no earlier figures: 400 with its error when the data cannot support
  the analysis (as for a small selection), else 503 with ``Retry-After``, the seconds until a new run
  is asked;
* ``POST /api/v1/insights/runs/`` ``{"kind", "selection": {…}, "parameters": {…}}`` — start or reuse a
  background run (psychometrics, csi, drivers); ``GET /api/v1/insights/runs/{id}/`` — its progress
  and result;
* ``POST /api/v1/insights/ahp/check/`` ``{"labels", "matrix"}`` — AHP weights and consistency (no change).

Everything needs ``surveys.analyse_surveys`` (:class:`CanAnalyse`); bad input is a 400 with field
errors. Runs are in ``api/views/runs.py``, the AHP check in ``api/views/ahp.py``.
"""

from __future__ import annotations

import math
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.insights.api.serializers.analysis import SelectionSerializer
from carebridge.insights.api.serializers.runs import RunSerializer
from carebridge.insights.choices import RunFailure
from carebridge.insights.domain.analysis.kinds import HEAVY, KINDS
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION
from carebridge.insights.services.analyses import analysis_request
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
        responses={200: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, kind: str) -> Response:
        if kind not in FAST:
            raise NotFound(f"No such analysis; use one of {', '.join(FAST)} (the others are runs).")
        payload = SelectionSerializer(data=request.query_params)
        payload.is_valid(raise_exception=True)
        parameters = {k: v for k, v in request.query_params.items() if k not in SELECTION_FIELDS}
        try:
            analysed = analysis_request(
                user=request.user, selection=payload.selection(), kind=kind, parameters=parameters
            )
        except StatsInputError as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from error
        if analysed.current:
            return Response({"kind": kind, "current": True, "result": analysed.result})
        if analysed.error and analysed.earlier is None:
            if analysed.failure == RunFailure.DATA:  # as the same analysis of a small selection says it
                raise ValidationError({"non_field_errors": [analysed.error]})
            # A new run is asked for from ``retry_at`` on (RETRY_FAILED_AFTER after the failure).
            left = (analysed.retry_at or timezone.now()) - timezone.now()
            retry = max(1, math.ceil(left.total_seconds()))
            body = {"kind": kind, "current": False, "result": None, "error": analysed.error}
            return Response(
                body, status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(retry)}
            )
        body = {
            "kind": kind,
            "current": False,
            "result": analysed.result,
            "computed_at": analysed.earlier.finished_at if analysed.earlier is not None else None,
            "run": RunSerializer(analysed.run).data if analysed.run is not None else None,
        }
        if analysed.error:
            body["error"] = analysed.error
        code = status.HTTP_202_ACCEPTED if analysed.run is not None else status.HTTP_200_OK
        return Response(body, status=code)
