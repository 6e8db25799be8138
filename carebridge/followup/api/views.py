"""Follow-up API: scoped querysets from the selectors, writes through the services.

``/api/v1/followup/plans/`` (+ ``retier``, ``midstay``, ``discharge``), ``touchpoints/`` (+ ``complete``,
``close``), ``queue/`` (my calls; ``{id}/claim``, ``{id}/release``, ``next``), ``calls/`` (attempts:
record an outcome; ``{id}/issues``), ``tiers/``, ``tier-rules/``, ``policies/`` (read), and the
telephony webhook ``telephony/events/``. A service's refusal is a 400 with field errors, an object outside
the caller's scope a 404.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.core.selectors.organisation import department_list
from carebridge.followup import selectors
from carebridge.followup.api.serializers import (
    CallAttemptInputSerializer,
    CallAttemptSerializer,
    CallIssueSerializer,
    CarePlanDetailSerializer,
    CarePlanSerializer,
    CloseInputSerializer,
    CompleteInputSerializer,
    DischargeInputSerializer,
    FollowupPolicySerializer,
    FollowupTierSerializer,
    IssueInputSerializer,
    MidStayInputSerializer,
    RetierInputSerializer,
    TelephonyCallSerializer,
    TelephonyEventInputSerializer,
    TierRuleSerializer,
    TouchpointDetailSerializer,
    TouchpointSerializer,
)
from carebridge.followup.filters import CarePlanFilterSet
from carebridge.followup.models import (
    CallAttempt,
    CarePlan,
    FollowupPolicy,
    FollowupTier,
    TierRule,
    Touchpoint,
)
from carebridge.followup.services import (
    TelephonyEvent,
    call_claim,
    call_claim_next,
    call_issue_raise,
    call_record,
    call_release,
    midstay_talk_schedule,
    plan_retier,
    stay_discharge,
    telephony_event_receive,
    touchpoint_close,
    touchpoint_complete,
)
from carebridge.frontdesk.api.views.common import ActionPermissions


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
        return selectors.plan_list_for_display(user=self.request.user).order_by("-admitted_at", "-id")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(CarePlanDetailSerializer(selectors.plan_get(user=request.user, pk=int(pk or 0))).data)

    def _detail(self, request: Request, plan: CarePlan) -> Response:
        return Response(CarePlanDetailSerializer(selectors.plan_get(user=request.user, pk=plan.pk)).data)

    @extend_schema(request=RetierInputSerializer, responses={200: CarePlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def retier(self, request: Request, pk: str) -> Response:
        """Change the tier by hand; the reason is required and kept with a transition row."""
        plan = selectors.plan_get(user=request.user, pk=int(pk))
        payload = RetierInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        plan_retier(plan=plan, actor=request.user, **payload.validated_data)
        return self._detail(request, plan)

    @extend_schema(request=MidStayInputSerializer, responses={201: TouchpointDetailSerializer})
    @action(detail=True, methods=["post"])
    def midstay(self, request: Request, pk: str) -> Response:
        """Schedule a mid-stay talk before a special examination or medication."""
        plan = selectors.plan_get(user=request.user, pk=int(pk))
        payload = MidStayInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        touchpoint = midstay_talk_schedule(plan=plan, actor=request.user, **payload.validated_data)
        fresh = selectors.touchpoint_get(user=request.user, pk=touchpoint.pk)
        return Response(TouchpointDetailSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DischargeInputSerializer, responses={200: CarePlanDetailSerializer})
    @action(detail=True, methods=["post"])
    def discharge(self, request: Request, pk: str) -> Response:
        """Discharge the stay: the tier policy assigns the tier and the follow-up calls are scheduled."""
        plan = selectors.plan_get(user=request.user, pk=int(pk))
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
        return selectors.touchpoint_list_for_display(user=self.request.user).order_by("due_at", "id")

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        touchpoint = selectors.touchpoint_get(user=request.user, pk=int(pk or 0))
        return Response(TouchpointDetailSerializer(touchpoint).data)

    @extend_schema(request=CompleteInputSerializer, responses={200: TouchpointDetailSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """Record an interview or talk as done (the admission interview takes the customer file)."""
        touchpoint = selectors.touchpoint_get(user=request.user, pk=int(pk))
        payload = CompleteInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        touchpoint_complete(touchpoint=touchpoint, actor=request.user, **payload.validated_data)
        return Response(
            TouchpointDetailSerializer(selectors.touchpoint_get(user=request.user, pk=int(pk))).data
        )

    @extend_schema(request=CloseInputSerializer, responses={200: TouchpointDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close by hand (refused for a tier-A call not reached and not through the whole chain)."""
        touchpoint = selectors.touchpoint_get(user=request.user, pk=int(pk))
        payload = CloseInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        touchpoint_close(touchpoint=touchpoint, actor=request.user, **payload.validated_data)
        return Response(
            TouchpointDetailSerializer(selectors.touchpoint_get(user=request.user, pk=int(pk))).data
        )


class QueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My call queue: calls I may make now, soonest due first then the higher tier; claim, release, next."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "followup.change_touchpoint"}
    serializer_class = TouchpointSerializer
    queryset = Touchpoint.objects.none()
    pagination_class = None

    def get_queryset(self) -> QuerySet[Touchpoint]:
        return selectors.call_queue(user=self.request.user)[:200]

    @extend_schema(request=None, responses={200: TouchpointSerializer})
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        """Take the call (409-free: a call someone else holds is a 400 with the reason)."""
        touchpoint = selectors.touchpoint_get(user=request.user, pk=int(pk))
        return Response(TouchpointSerializer(call_claim(touchpoint=touchpoint, actor=request.user)).data)

    @extend_schema(request=None, responses={200: TouchpointSerializer})
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        """Give the call back to the queue."""
        touchpoint = selectors.touchpoint_get(user=request.user, pk=int(pk))
        return Response(TouchpointSerializer(call_release(touchpoint=touchpoint, actor=request.user)).data)

    @extend_schema(request=None, responses={200: TouchpointSerializer, 204: None})
    @action(detail=False, methods=["post"])
    def next(self, request: Request) -> Response:
        """Take the first free call of my queue (204 when there is none)."""
        touchpoint = call_claim_next(actor=request.user)
        if touchpoint is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(
            TouchpointSerializer(selectors.touchpoint_get(user=request.user, pk=touchpoint.pk)).data
        )


class CallAttemptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Call attempts in the caller's scope; POST records an outcome (redials and escalation follow)."""

    permission_classes = [ActionPermissions]
    action_permissions = {
        "*": "followup.view_callattempt",
        "create": "followup.add_callattempt",
        "issues": "complaints.add_complaint",
    }
    serializer_class = CallAttemptSerializer
    queryset = CallAttempt.objects.none()
    ordering_fields = ["at", "id"]

    def get_queryset(self) -> QuerySet[CallAttempt]:
        return (
            selectors.attempt_list(user=self.request.user)
            .select_related("agent", "phone")
            .prefetch_related("issues__complaint", "issues__department")
            .order_by("-at", "-id")
        )

    @extend_schema(request=CallAttemptInputSerializer, responses={201: CallAttemptSerializer})
    def create(self, request: Request) -> Response:
        payload = CallAttemptInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        touchpoint = selectors.touchpoint_get(user=request.user, pk=data.pop("touchpoint"))
        phone_id = data.pop("phone")
        phone = touchpoint.plan.patient.phones.filter(pk=phone_id).first() if phone_id else None
        if phone_id and phone is None:
            raise ValidationError({"phone": ["This number is not the patient's."]})
        attempt = call_record(touchpoint=touchpoint, actor=request.user, phone=phone, **data)
        return Response(
            CallAttemptSerializer(self.get_queryset().get(pk=attempt.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=IssueInputSerializer, responses={201: CallIssueSerializer})
    @action(detail=True, methods=["post"])
    def issues(self, request: Request, pk: str) -> Response:
        """Raise what the patient said: a desk case (complaint, suggestion, compliment) or a question."""
        attempt = self.get_queryset().filter(pk=int(pk)).select_related("touchpoint__plan").first()
        if attempt is None:
            raise NotFound()
        payload = IssueInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        code = data.pop("department")
        department = None
        if code:
            department = (
                department_list(user=request.user)
                .filter(hospital_id=attempt.touchpoint.plan.hospital_id, code=code)
                .first()
            )
            if department is None:
                raise ValidationError({"department": ["Unknown department code."]})
        issue = call_issue_raise(attempt=attempt, actor=request.user, department=department, **data)
        return Response(CallIssueSerializer(issue).data, status=status.HTTP_201_CREATED)


class FollowupTierViewSet(viewsets.ReadOnlyModelViewSet):
    """The tiers of the caller's hospital with their due windows."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "followup.view_followuptier"}
    serializer_class = FollowupTierSerializer
    queryset = FollowupTier.objects.none()

    def get_queryset(self) -> QuerySet[FollowupTier]:
        return selectors.tier_list(user=self.request.user)


class TierRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """The tier policy: rules in the order they are tried."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "followup.view_tierrule"}
    serializer_class = TierRuleSerializer
    queryset = TierRule.objects.none()

    def get_queryset(self) -> QuerySet[TierRule]:
        return selectors.tier_rule_list(user=self.request.user)


class FollowupPolicyViewSet(viewsets.ReadOnlyModelViewSet):
    """Calling hours, redial and escalation rules of the caller's hospital."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "followup.view_followuppolicy"}
    serializer_class = FollowupPolicySerializer
    queryset = FollowupPolicy.objects.none()

    def get_queryset(self) -> QuerySet[FollowupPolicy]:
        return selectors.policy_list(user=self.request.user).order_by("id")


TELEPHONY_HEADER = "X-Telephony-Secret"


class TelephonyEventView(APIView):
    """Webhook of the telephony system: ``ringing``, ``answered``, ``ended`` per call id (idempotent).

    Authenticated by the shared secret in the ``X-Telephony-Secret`` header (settings
    ``CAREBRIDGE["TELEPHONY_WEBHOOK_SECRET"]``); without a configured secret every event is refused."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        request=TelephonyEventInputSerializer,
        responses={200: TelephonyCallSerializer, 201: TelephonyCallSerializer},
        parameters=[OpenApiParameter(TELEPHONY_HEADER, str, OpenApiParameter.HEADER, required=True)],
    )
    def post(self, request: Request) -> Response:
        expected = str(settings.CAREBRIDGE.get("TELEPHONY_WEBHOOK_SECRET", ""))
        given = request.headers.get(TELEPHONY_HEADER, "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            raise PermissionDenied("Wrong or missing telephony secret.")
        payload = TelephonyEventInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        call, changed = telephony_event_receive(data=TelephonyEvent(**payload.validated_data))
        body = TelephonyCallSerializer(call, context={"duplicate": not changed}).data
        return Response(body, status=status.HTTP_201_CREATED if changed else status.HTTP_200_OK)
