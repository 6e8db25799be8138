"""Call API: ``/api/v1/followup/queue/`` (my calls; ``{id}/claim``, ``{id}/release``, ``next``),
``calls/`` (attempts: record an outcome; ``{id}/issues``), and the telephony webhook ``telephony/events/``.
A service's refusal is a 400 with field errors, an object outside the caller's scope a 404.
"""

from __future__ import annotations

import hmac

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
from carebridge.followup.api.serializers.calls import (
    CallAttemptInputSerializer,
    CallAttemptSerializer,
    CallIssueSerializer,
    IssueInputSerializer,
    TelephonyCallSerializer,
    TelephonyEventInputSerializer,
)
from carebridge.followup.api.serializers.plans import TouchpointSerializer
from carebridge.followup.api.serializers.queue import QUEUE_LENGTH, queue_rows
from carebridge.followup.models import CallAttempt, Touchpoint
from carebridge.followup.selectors.calls import call_queue
from carebridge.followup.selectors.plans import attempt_list, touchpoint_get
from carebridge.followup.services.calls import call_record
from carebridge.followup.services.issues import call_issue_raise
from carebridge.followup.services.queue import call_claim, call_claim_next, call_release
from carebridge.followup.services.standalone import RecheckAnswer
from carebridge.followup.services.telephony import TelephonyEvent, telephony_event_receive
from carebridge.frontdesk.api.views.common import ActionPermissions


class QueueViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """My call queue: calls I may make now, soonest due first then the higher tier; claim, release, next."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "followup.change_touchpoint"}
    serializer_class = TouchpointSerializer
    queryset = Touchpoint.objects.none()
    pagination_class = None

    @property
    def rfc3339_instants(self) -> bool:
        """The queue's date-times are rfc3339_instants, for orjson to write (core.api.renderers); the
        actions answer the serializer's text."""
        return getattr(self, "action", None) == "list"

    def get_queryset(self) -> QuerySet[Touchpoint]:
        return call_queue(user=self.request.user)[:QUEUE_LENGTH]

    @extend_schema(responses={200: TouchpointSerializer(many=True)})
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        """The first 200 calls, in the serializer's shape, composed without DRF's per-field machinery
        (``serializers.queue``: 200 rows were most of the request)."""
        return Response(queue_rows(user=request.user))

    @extend_schema(request=None, responses={200: TouchpointSerializer})
    @action(detail=True, methods=["post"])
    def claim(self, request: Request, pk: str) -> Response:
        """Take the call (409-free: a call someone else holds is a 400 with the reason)."""
        touchpoint = touchpoint_get(user=request.user, pk=int(pk))
        return Response(TouchpointSerializer(call_claim(touchpoint=touchpoint, actor=request.user)).data)

    @extend_schema(request=None, responses={200: TouchpointSerializer})
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        """Give the call back to the queue."""
        touchpoint = touchpoint_get(user=request.user, pk=int(pk))
        return Response(TouchpointSerializer(call_release(touchpoint=touchpoint, actor=request.user)).data)

    @extend_schema(request=None, responses={200: TouchpointSerializer, 204: None})
    @action(detail=False, methods=["post"])
    def next(self, request: Request) -> Response:
        """Take the first free call of my queue (204 when there is none)."""
        touchpoint = call_claim_next(actor=request.user)
        if touchpoint is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(TouchpointSerializer(touchpoint_get(user=request.user, pk=touchpoint.pk)).data)


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
            attempt_list(user=self.request.user)
            .select_related("agent", "phone")
            .prefetch_related("issues__complaint", "issues__department")
            .order_by("-at", "-id")
        )

    @extend_schema(request=CallAttemptInputSerializer, responses={201: CallAttemptSerializer})
    def create(self, request: Request) -> Response:
        payload = CallAttemptInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        touchpoint = touchpoint_get(user=request.user, pk=data.pop("touchpoint"))
        phone_id = data.pop("phone")
        phone = touchpoint.patient.phones.filter(pk=phone_id).first() if phone_id else None
        if phone_id and phone is None:
            raise ValidationError({"phone": ["This number is not the patient's."]})
        recheck_outcome, saw_doctor, finding = (
            data.pop("recheck_outcome"),
            data.pop("saw_doctor"),
            data.pop("finding"),
        )
        recheck = (
            RecheckAnswer(outcome=recheck_outcome, saw_doctor=saw_doctor, finding=finding)
            if recheck_outcome
            else None
        )
        attempt = call_record(touchpoint=touchpoint, actor=request.user, phone=phone, recheck=recheck, **data)
        return Response(
            CallAttemptSerializer(self.get_queryset().get(pk=attempt.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=IssueInputSerializer, responses={201: CallIssueSerializer})
    @action(detail=True, methods=["post"])
    def issues(self, request: Request, pk: str) -> Response:
        """Raise what the patient said: a desk case (complaint, suggestion, compliment) or a question."""
        attempt = self.get_queryset().filter(pk=int(pk)).select_related("touchpoint").first()
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
                .filter(hospital_id=attempt.touchpoint.hospital_id, code=code)
                .first()
            )
            if department is None:
                raise ValidationError({"department": ["Unknown department code."]})
        issue = call_issue_raise(attempt=attempt, actor=request.user, department=department, **data)
        return Response(CallIssueSerializer(issue).data, status=status.HTTP_201_CREATED)


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
