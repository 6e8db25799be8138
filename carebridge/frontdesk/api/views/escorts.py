"""API of escorts (陪诊送诊): list, read, request, and the transitions of the life cycle."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.frontdesk.api.serializers.escorts import (
    EscortDetailSerializer,
    EscortInputSerializer,
    EscortSerializer,
    EscortTransitionInputSerializer,
)
from carebridge.frontdesk.api.views.common import ActionPermissions, department_for, patient_for, staff_for
from carebridge.frontdesk.models import Escort
from carebridge.frontdesk.selectors.escorts import escort_get, escort_list_for_display
from carebridge.frontdesk.services.escorts import EscortInput, escort_request, escort_transition


class EscortViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Escorts (陪诊送诊) in the caller's scope, with their transitions; ``transition`` moves one on."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "frontdesk.view_escort",
        "create": "frontdesk.add_escort",
        "transition": "frontdesk.change_escort",
    }
    queryset = Escort.objects.none()

    def get_queryset(self) -> QuerySet[Escort]:
        return escort_list_for_display(user=self.request.user).order_by("-scheduled_at", "-id")

    def get_serializer_class(self) -> type:
        return EscortDetailSerializer if self.action == "retrieve" else EscortSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(EscortDetailSerializer(escort_get(user=request.user, pk=int(kwargs["pk"]))).data)

    @extend_schema(request=EscortInputSerializer, responses={201: EscortDetailSerializer})
    def create(self, request: Request) -> Response:
        payload = EscortInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        hospital = staff_hospital(user=request.user)
        escort = escort_request(
            hospital=hospital,
            actor=request.user,
            data=EscortInput(
                from_place=data["from_place"],
                to_place=data["to_place"],
                scheduled_at=data["scheduled_at"],
                mobility=data["mobility"],
                patient=patient_for(request, data.get("patient")),
                patient_name=data["patient_name"],
                department=department_for(request, hospital, data["department"], "department"),
                notes=data["notes"],
            ),
        )
        fresh = escort_get(user=request.user, pk=escort.pk)
        return Response(EscortDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EscortTransitionInputSerializer, responses={200: EscortDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        """requested → assigned → under_way → done, or cancelled (with a reason); illegal moves: 400."""
        escort = escort_get(user=request.user, pk=int(pk))
        payload = EscortTransitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        escort_transition(
            escort=escort,
            to=data["to"],
            actor=request.user,
            staff=staff_for(request, escort.hospital_id, data.get("staff"), "staff"),
            reason=data["reason"],
        )
        return Response(EscortDetailSerializer(escort_get(user=request.user, pk=escort.pk)).data)
