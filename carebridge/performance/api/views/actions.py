"""Improvement-action API under /api/v1/performance/actions/ (filters ``source``, ``status``,
``department``, ``overdue``), with ``{id}/move/``, ``{id}/check/`` and ``export/`` (Excel). Scoped by
``restrict()``; writes go through the services; bad input answers 400 with field errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.selectors.organisation import departments_in_scope
from carebridge.lib.text import is_id
from carebridge.performance.api.serializers.actions import (
    ActionInputSerializer,
    ActionSerializer,
    MoveInputSerializer,
)
from carebridge.performance.choices import ActionSource, ActionStatus
from carebridge.performance.models import ImprovementAction
from carebridge.performance.selectors.actions import action_list
from carebridge.performance.services.actions import action_create, action_effect_check, action_move
from carebridge.performance.views.actions import export_response


def _raise(error: DjangoValidationError) -> None:
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


@extend_schema(
    parameters=[
        OpenApiParameter("source", str, enum=ActionSource.values),
        OpenApiParameter("status", str, enum=ActionStatus.values),
        OpenApiParameter("department", int),
        OpenApiParameter("overdue", bool),
    ]
)
class ActionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Improvement actions in the caller's scope."""

    permission_classes = [ModelPermissions]
    serializer_class = ActionSerializer
    queryset = ImprovementAction.objects.none()
    lookup_value_regex = r"\d+"

    def _filters(self) -> dict[str, Any]:
        params = self.request.query_params
        errors: dict[str, list[str]] = {}
        if params.get("source") and params["source"] not in ActionSource.values:
            errors["source"] = [f"one of {', '.join(ActionSource.values)}"]
        if params.get("status") and params["status"] not in ActionStatus.values:
            errors["status"] = [f"one of {', '.join(ActionStatus.values)}"]
        if params.get("department") and not is_id(params["department"]):
            errors["department"] = ["a department id"]
        if errors:
            raise ValidationError(errors)
        filters: dict[str, Any] = {key: params.get(key, "") for key in ("source", "status", "department")}
        filters["overdue"] = params.get("overdue", "").lower() in ("1", "true", "yes")
        return filters

    def get_queryset(self) -> QuerySet[ImprovementAction]:
        return action_list(user=self.request.user, filters=self._filters())

    @extend_schema(request=ActionInputSerializer, responses={201: ActionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ActionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not departments_in_scope(user=request.user).filter(pk=data["department"].pk).exists():
            raise ValidationError({"department": ["not a department in your scope"]})
        try:
            created = action_create(actor=request.user, **data)
        except DjangoValidationError as error:
            _raise(error)
        return Response(ActionSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MoveInputSerializer, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        if not request.user.has_perm("performance.change_improvementaction"):
            raise PermissionDenied
        payload = MoveInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            moved = action_move(action=self.get_object(), actor=request.user, **payload.validated_data)
        except DjangoValidationError as error:
            _raise(error)
        return Response(ActionSerializer(moved).data)

    @extend_schema(request=None, responses=ActionSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str | None = None) -> Response:
        if not request.user.has_perm("performance.change_improvementaction"):
            raise PermissionDenied
        try:
            checked = action_effect_check(action=self.get_object(), actor=request.user)
        except DjangoValidationError as error:
            _raise(error)
        return Response(ActionSerializer(checked).data)

    @extend_schema(
        responses={(200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): bytes}
    )
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> HttpResponse:
        return export_response(self.get_queryset())
