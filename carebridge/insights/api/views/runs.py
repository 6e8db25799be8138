"""Insights API: background analysis runs (psychometrics, csi, drivers; and the fast analyses of a large
selection, which the analyses endpoint asks for) — start or reuse one, read it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.insights.api.serializers.analysis import SelectionSerializer
from carebridge.insights.api.serializers.runs import RunInputSerializer, RunSerializer
from carebridge.insights.api.views.analysis import CanAnalyse
from carebridge.insights.selectors.runs import run_get
from carebridge.insights.services.runs import run_request


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
        return Response(RunSerializer(run_get(user=request.user, pk=pk)).data)
