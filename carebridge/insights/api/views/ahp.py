"""Insights API: the AHP check — weights and consistency of a judgement matrix (changes nothing)."""

from __future__ import annotations

import numpy as np
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.insights.api.serializers.ahp import AhpInputSerializer, AhpOutputSerializer
from carebridge.insights.api.views.analysis import CanAnalyse
from carebridge.insights.domain.analysis.ahp import ahp_check
from carebridge.insights.domain.weights import inconsistency_message
from carebridge.lib.stats.errors import StatsInputError


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
