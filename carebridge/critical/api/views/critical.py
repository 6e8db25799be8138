"""Critical-results API under /api/v1/critical/: ``rules/``, ``notifications/`` (filters ``search``,
``status``, ``class``), ``notifications/{id}/claim/`` and ``notifications/{id}/attempts/``. Scoped to the
checkup centre and the clinical recipients by ``restrict()``; writes go through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions, ModelViewPermission
from carebridge.critical.api.serializers.critical import (
    AttemptInputSerializer,
    AttemptSerializer,
    NotificationSerializer,
    RuleSerializer,
)
from carebridge.critical.choices import NotificationStatus, Severity
from carebridge.critical.models import Notification, Rule
from carebridge.critical.selectors.notifications import notification_list, rule_list
from carebridge.critical.services.attempts import attempt_record
from carebridge.critical.services.queue import notification_claim
from carebridge.patients.choices import AccessChannel
from carebridge.patients.services.access import patient_access_record


class RuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The rules of the hospital's rule sets (every version)."""

    permission_classes = [ModelPermissions]
    serializer_class = RuleSerializer
    queryset = Rule.objects.none()

    def get_queryset(self) -> QuerySet[Rule]:
        return rule_list(user=self.request.user)


@extend_schema(
    parameters=[
        OpenApiParameter("search", str, description="Visit number, name or MRN"),
        OpenApiParameter("status", str, enum=NotificationStatus.values),
        OpenApiParameter("class", str, enum=Severity.values),
    ]
)
class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Critical-result notifications in the caller's scope."""

    permission_classes = [ModelPermissions]
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self) -> QuerySet[Notification]:
        params = self.request.query_params
        errors: dict[str, list[str]] = {}
        if params.get("status") and params["status"] not in NotificationStatus.values:
            errors["status"] = [f"one of {', '.join(NotificationStatus.values)}"]
        if params.get("class") and params["class"] not in Severity.values:
            errors["class"] = [f"one of {', '.join(Severity.values)}"]
        if errors:
            raise ValidationError(errors)
        filters = {key: params.get(key, "") for key in ("search", "status", "class")}
        return notification_list(user=self.request.user, filters=filters).prefetch_related("findings__rule")

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        notification = self.get_object()
        patient_access_record(
            patient=notification.patient,
            user=request.user,
            channel=AccessChannel.API,
            reason="critical notification",
        )
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelViewPermission])
    def claim(self, request: Request, pk: str | None = None) -> Response:
        notification = notification_claim(notification=self.get_object(), actor=request.user)
        return Response(self.get_serializer(notification).data)

    @extend_schema(methods=["get"], responses=AttemptSerializer(many=True))
    @extend_schema(methods=["post"], request=AttemptInputSerializer, responses={201: AttemptSerializer})
    @action(
        detail=True, methods=["get", "post"], permission_classes=[ModelViewPermission], pagination_class=None
    )
    def attempts(self, request: Request, pk: str | None = None) -> Response:
        notification = self.get_object()
        if request.method == "GET":
            return Response(
                AttemptSerializer(notification.attempts.select_related("by__staff"), many=True).data
            )
        payload = AttemptInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        attempt = attempt_record(notification=notification, actor=request.user, **payload.validated_data)
        return Response(AttemptSerializer(attempt).data, status=status.HTTP_201_CREATED)
