"""Care-plan API: ``/api/v1/followup/plans/`` (+ ``retier``, ``midstay``, ``discharge``) and ``touchpoints/``
(+ ``complete``, ``close``). Scoped querysets from the selectors, writes through the services; a service's
refusal is a 400 with field errors, an object outside the caller's scope a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.http import client_ip
from carebridge.followup.api.serializers.plans import (
    CarePlanDetailSerializer,
    CarePlanSerializer,
    CloseInputSerializer,
    CompleteInputSerializer,
    DischargeInputSerializer,
    MidStayInputSerializer,
    RetierInputSerializer,
    TouchpointDetailSerializer,
    TouchpointSerializer,
)
from carebridge.followup.filters import CarePlanFilterSet
from carebridge.followup.models import CarePlan, Touchpoint
from carebridge.followup.models.plans import BY_DUE
from carebridge.followup.selectors.plans import (
    plan_get,
    plan_list_for_display,
    touchpoint_get,
    touchpoint_list_for_display,
)
from carebridge.followup.services.discharge import plan_retier, stay_discharge
from carebridge.followup.services.plans import midstay_talk_schedule, touchpoint_complete
from carebridge.followup.services.transitions import touchpoint_close
from carebridge.frontdesk.api.views.common import ActionPermissions
from carebridge.patients.choices import AccessChannel
from carebridge.patients.services.access import patient_access_record


def _log_read(request: Request, patient: Any) -> None:
    """The access-log row of one read of a patient's plan or touchpoint through the API."""
    patient_access_record(
        patient=patient,
        user=request.user,
        channel=AccessChannel.API,
        ip_address=client_ip(request),
        reason="followup.api",
    )


class CarePlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Care plans in the caller's scope (filters: status, tier, ward, department code, patient)."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "followup.view_careplan",
        "retier": "followup.retier_careplan",
        "midstay": "followup.add_touchpoint",
        "discharge": "followup.change_careplan",
    }
    queryset = CarePlan.objects.none()
    filterset_class = CarePlanFilterSet
    ordering_fields = ["admitted_at", "discharged_at", "id"]

    def get_serializer_class(self) -> Any:
        return CarePlanDetailSerializer if self.action == "retrieve" else CarePlanSerializer

    def get_queryset(self) -> QuerySet[CarePlan]:
        return plan_list_for_display(user=self.request.user).order_by("-admitted_at", "-id")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        plan = plan_get(user=request.user, pk=int(pk or 0))
        _log_read(request, plan.patient)
        return Response(CarePlanDetailSerializer(plan).data)

    def _detail(self, request: Request, plan: CarePlan) -> Response:
        return Response(CarePlanDetailSerializer(plan_get(user=request.user, pk=plan.pk)).data)

    @extend_schema(request=RetierInputSerializer, responses={200: CarePlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def retier(self, request: Request, pk: str) -> Response:
        """Change the tier by hand; the reason is required and kept with a transition row."""
        plan = plan_get(user=request.user, pk=int(pk))
        payload = RetierInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        plan_retier(plan=plan, actor=request.user, **payload.validated_data)
        return self._detail(request, plan)

    @extend_schema(request=MidStayInputSerializer, responses={201: TouchpointDetailSerializer})
    @action(detail=True, methods=["post"])
    def midstay(self, request: Request, pk: str) -> Response:
        """Schedule a mid-stay talk before a special examination or medication."""
        plan = plan_get(user=request.user, pk=int(pk))
        payload = MidStayInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        touchpoint = midstay_talk_schedule(plan=plan, actor=request.user, **payload.validated_data)
        fresh = touchpoint_get(user=request.user, pk=touchpoint.pk)
        return Response(TouchpointDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DischargeInputSerializer, responses={200: CarePlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def discharge(self, request: Request, pk: str) -> Response:
        """Discharge the stay: the tier policy assigns the tier and the follow-up calls are scheduled."""
        plan = plan_get(user=request.user, pk=int(pk))
        payload = DischargeInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        stay_discharge(encounter=plan.encounter, actor=request.user, **payload.validated_data)
        return self._detail(request, plan)


class TouchpointViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Touchpoints of the plans in the caller's scope; ``complete`` (interviews) and ``close`` (by hand)."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "followup.view_touchpoint",
        "complete": "followup.change_touchpoint",
        "close": "followup.change_careplan",
    }
    queryset = Touchpoint.objects.none()
    ordering_fields = ["due_at", "id"]

    def get_serializer_class(self) -> Any:
        return TouchpointDetailSerializer if self.action == "retrieve" else TouchpointSerializer

    def get_queryset(self) -> QuerySet[Touchpoint]:
        return touchpoint_list_for_display(user=self.request.user).order_by(*BY_DUE)

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        touchpoint = touchpoint_get(user=request.user, pk=int(pk or 0))
        _log_read(request, touchpoint.patient)
        return Response(TouchpointDetailSerializer(touchpoint).data)

    @extend_schema(request=CompleteInputSerializer, responses={200: TouchpointDetailSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """Record an interview or talk as done (the admission interview takes the customer file)."""
        touchpoint = touchpoint_get(user=request.user, pk=int(pk))
        payload = CompleteInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        touchpoint_complete(touchpoint=touchpoint, actor=request.user, **payload.validated_data)
        return Response(TouchpointDetailSerializer(touchpoint_get(user=request.user, pk=int(pk))).data)

    @extend_schema(request=CloseInputSerializer, responses={200: TouchpointDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close by hand (refused for a tier-A call not reached and not through the whole chain)."""
        touchpoint = touchpoint_get(user=request.user, pk=int(pk))
        payload = CloseInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        touchpoint_close(touchpoint=touchpoint, actor=request.user, **payload.validated_data)
        return Response(TouchpointDetailSerializer(touchpoint_get(user=request.user, pk=int(pk))).data)
