"""API of shift handovers (交班): list, read, the outgoing shift's notes and the acknowledgement."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.frontdesk.api.serializers.handover import (
    AcknowledgeInputSerializer,
    HandoverDetailSerializer,
    HandoverNotesInputSerializer,
    HandoverSerializer,
)
from carebridge.frontdesk.api.views.common import ActionPermissions
from carebridge.frontdesk.models import Handover
from carebridge.frontdesk.selectors.handover import handover_get, handover_list
from carebridge.frontdesk.services.handover import handover_acknowledge, handover_write_notes


class HandoverViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shift handovers (交班) with the matters carried over; ``notes`` and ``acknowledge`` (接班)."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "frontdesk.view_handover",
        "notes": "frontdesk.change_handover",
        "acknowledge": "frontdesk.acknowledge_handover",
    }
    queryset = Handover.objects.none()

    def get_queryset(self) -> QuerySet[Handover]:
        return handover_list(user=self.request.user)

    def get_serializer_class(self) -> type:
        return HandoverDetailSerializer if self.action == "retrieve" else HandoverSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(HandoverDetailSerializer(handover_get(user=request.user, pk=int(kwargs["pk"]))).data)

    @extend_schema(request=HandoverNotesInputSerializer, responses={200: HandoverDetailSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, pk: str) -> Response:
        handover = handover_get(user=request.user, pk=int(pk))
        payload = HandoverNotesInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        handover_write_notes(handover=handover, actor=request.user, notes=payload.validated_data["notes"])
        return Response(HandoverDetailSerializer(handover_get(user=request.user, pk=handover.pk)).data)

    @extend_schema(request=AcknowledgeInputSerializer, responses={200: HandoverDetailSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        """Take over the shift (who and when are recorded); a second acknowledgement is refused with 400."""
        handover = handover_get(user=request.user, pk=int(pk))
        payload = AcknowledgeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        handover_acknowledge(handover=handover, actor=request.user, note=payload.validated_data["note"])
        return Response(HandoverDetailSerializer(handover_get(user=request.user, pk=handover.pk)).data)
