"""REST API of the surveys app: responses.

``/api/v1/surveys/responses/``: list and retrieve (scoped: hospital and departments; filters ``wave``,
``mode``, ``department`` code, ``submitted_after``/``submitted_before``); create = a phone interview
or a paper questionnaire entered for an invitation (``surveys.add_response``; the caller is recorded as
interviewer). ``GET /api/v1/surveys/responses/export/?wave=<id>&format=long|wide&type=csv|xlsx|sav``
downloads a wave's responses (``surveys.export_responses``; no direct identifiers, CSV streamed).
Refusals of the services come back as 400 with field errors.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.api.views.routing import Router
from carebridge.core.filters import BoundedIsoDateTimeFilter, IdFilter
from carebridge.lib.text import is_id
from carebridge.surveys.api.serializers.responses import (
    SurveyResponseDetailSerializer,
    SurveyResponseEntrySerializer,
    SurveyResponseSerializer,
)
from carebridge.surveys.choices import ResponseMode
from carebridge.surveys.exports import FILE_TYPES, SHAPES, export_responses
from carebridge.surveys.models import Response as SurveyResponse
from carebridge.surveys.selectors.responses import (
    anonymise,
    invitation_for_entry,
    response_get,
    response_list,
    response_list_for_display,
    wave_get_for_responses,
)
from carebridge.surveys.services.responses import response_submit


class ResponsePermissions(ModelPermissions):
    """Reading needs ``view_response``; entering ``add_response``; the export ``export_responses``."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if getattr(view, "action", None) == "export":
            return bool(user.has_perm("surveys.export_responses"))
        return super().has_permission(request, view)


class ResponseFilterSet(django_filters.FilterSet):
    wave = IdFilter(field_name="wave_id")
    mode = django_filters.ChoiceFilter(choices=ResponseMode.choices)
    department = django_filters.CharFilter(field_name="department__code")
    submitted_after = BoundedIsoDateTimeFilter(field_name="submitted_at", lookup_expr="gte")
    submitted_before = BoundedIsoDateTimeFilter(field_name="submitted_at", lookup_expr="lt")

    class Meta:
        model = SurveyResponse
        fields = ["wave", "mode", "department", "submitted_after", "submitted_before"]


class ResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Survey responses in the caller's scope (no patient identifiers)."""

    permission_classes = [ResponsePermissions]
    filterset_class = ResponseFilterSet
    ordering_fields = ["submitted_at", "id", "score"]
    queryset = SurveyResponse.objects.none()

    def get_queryset(self) -> QuerySet[SurveyResponse]:
        return response_list_for_display(user=self.request.user)

    def get_serializer_class(self) -> type:
        return SurveyResponseDetailSerializer if self.action == "retrieve" else SurveyResponseSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = response_get(user=request.user, pk=int(kwargs["pk"]))
        anonymise(user=request.user, responses=[response])
        return Response(SurveyResponseDetailSerializer(response).data)

    @extend_schema(request=SurveyResponseEntrySerializer, responses={201: SurveyResponseDetailSerializer})
    def create(self, request: Request) -> Response:
        """Enter a phone interview or a paper questionnaire for an invitation in the caller's scope."""
        payload = SurveyResponseEntrySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        invitation = invitation_for_entry(user=request.user, pk=data["invitation"])
        response = response_submit(
            invitation=invitation,
            answers=data["answers"],
            language=data["language"],
            mode=data["mode"],
            now=timezone.now(),
            interviewer=request.user,
            started_at=data.get("started_at"),
        )
        # The interviewer sees what they entered, even without ``view_response`` (agents have only add).
        body = SurveyResponseDetailSerializer(response).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # ``format`` is the export's own parameter (long or wide), not DRF's renderer override.
        return super().perform_content_negotiation(request, force=force or self.action == "export")

    @extend_schema(
        parameters=[
            OpenApiParameter("wave", int, required=True),
            OpenApiParameter("format", str, enum=list(SHAPES), default="wide"),
            OpenApiParameter("type", str, enum=list(FILE_TYPES), default="csv"),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.BINARY, description="CSV, Excel or SPSS file")},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def export(self, request: Request) -> HttpResponseBase:
        """A wave's responses as a file: long or wide, CSV (UTF-8 with BOM), Excel or SPSS."""
        shape = request.query_params.get("format", "wide")
        file_type = request.query_params.get("type", "csv")
        errors = {}
        if shape not in SHAPES:
            errors["format"] = [f"One of {', '.join(SHAPES)}."]
        if file_type not in FILE_TYPES:
            errors["type"] = [f"One of {', '.join(FILE_TYPES)}."]
        wave_id = request.query_params.get("wave", "")
        if not is_id(wave_id):
            errors["wave"] = ["A wave id is required."]
        if errors:
            raise ValidationError(errors)
        wave = wave_get_for_responses(user=request.user, pk=int(wave_id))
        return export_responses(
            wave=wave,
            responses=response_list(user=request.user),
            shape=shape,
            file_type=file_type,
            actor=request.user,
        )

    # Defined last: the class body's name ``list`` would hide the builtin from the decorators above.
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        anonymise(user=request.user, responses=rows)
        data = SurveyResponseSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)


router = Router()
router.register("surveys/responses", ResponseViewSet, basename="survey-response")

urls: list[URLPattern | URLResolver] = list(router.urls)
