"""REST API of the surveys app: waves, their invitations, and the SMS gateway's delivery reports.

``/api/v1/surveys/waves/``: list, retrieve; create, update and delete drafts; POST actions ``draw``,
``open``, ``close``; GET ``stats`` (the dashboard's counts) and ``invitations`` (paginated, invitees
masked, department roles see their departments' only). Scoped by the selectors; refusals of the
services come back as 400 with field errors.

``POST /api/v1/surveys/messages/status/``: the gateway reports delivery (shared secret in the
``X-Carebridge-Token`` header, compared in constant time with ``CAREBRIDGE["SMS"]["HTTP_TOKEN"]``).
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.core.api.pagination import StandardPagination
from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.api.views.routing import Router
from carebridge.core.models import Hospital
from carebridge.core.selectors.organisation import department_list, staff_hospital
from carebridge.surveys.api.serializers.waves import (
    DeliveryAckSerializer,
    DeliveryReportSerializer,
    DrawResultSerializer,
    InvitationSerializer,
    WaveDetailSerializer,
    WaveInputSerializer,
    WaveMoveInputSerializer,
    WaveOutputSerializer,
    WaveStatsSerializer,
)
from carebridge.surveys.choices import VersionStatus, WaveStatus
from carebridge.surveys.models import InstrumentVersion, Message, Wave
from carebridge.surveys.selectors.waves import invitation_list, wave_get, wave_list, wave_stats
from carebridge.surveys.services.draws import wave_draw
from carebridge.surveys.services.invitations import message_status_update
from carebridge.surveys.services.waves import (
    StratumSpec,
    WaveInput,
    wave_create,
    wave_delete,
    wave_input_from,
    wave_transition,
    wave_update,
)


class WavePermissions(ModelPermissions):
    """Reading needs ``view_wave``; creating ``add_wave``; changing, drawing, opening, closing and
    discarding a draft ``change_wave``; the invitation list ``view_invitation`` as well."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        name = getattr(view, "action", None)
        if name == "invitations":
            return bool(user.has_perm("surveys.view_wave") and user.has_perm("surveys.view_invitation"))
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return bool(user.has_perm("surveys.view_wave"))
        if name == "create":
            return bool(user.has_perm("surveys.add_wave"))
        return bool(user.has_perm("surveys.change_wave"))


def _wave_input(data: dict[str, Any], *, user: Any, hospital: Hospital, base: WaveInput | None) -> WaveInput:
    """Turn validated API data into a ``WaveInput``: ids and codes looked up within the caller's reach."""
    values: dict[str, Any] = dict(data)
    if "version" in values:
        version = (
            InstrumentVersion.objects.filter(pk=values["version"], status=VersionStatus.PUBLISHED)
            .select_related("instrument")
            .first()
        )
        if version is None or version.instrument.hospital_id not in (None, hospital.pk):
            raise ValidationError({"version": ["No such published version."]})
        values["version"] = version
    if "departments" in values:
        codes = values["departments"]
        departments = list(department_list(user=user).filter(hospital=hospital, code__in=codes))
        if len(departments) != len(set(codes)):
            raise ValidationError({"departments": ["Unknown department code."]})
        values["departments"] = departments
    if "strata" in values:
        values["strata"] = [StratumSpec(s["key"], s["target"], s.get("quota")) for s in values["strata"]]
    return replace(base, **values) if base is not None else WaveInput(**values)


class WaveViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Survey waves in the caller's scope."""

    permission_classes = [WavePermissions]
    queryset = Wave.objects.none()
    ordering_fields = ["created_at", "id", "name"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Wave]:
        queryset = (
            wave_list(user=self.request.user)
            .select_related("version__instrument", "owner")
            .prefetch_related("departments", "strata__department")
        )
        wanted = self.request.query_params.get("status")
        return queryset.filter(status=wanted) if wanted in WaveStatus.values else queryset

    def get_serializer_class(self) -> type:
        return WaveDetailSerializer if self.action == "retrieve" else WaveOutputSerializer

    def _wave(self, pk: str) -> Wave:
        try:
            return wave_get(user=self.request.user, pk=int(pk))
        except ValueError as exc:
            raise NotFound from exc

    def _detail(self, wave: Wave, code: int = status.HTTP_200_OK) -> Response:
        fresh = wave_get(user=self.request.user, pk=wave.pk)
        return Response(WaveDetailSerializer(fresh).data, status=code)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._detail(self._wave(kwargs["pk"]))

    @extend_schema(request=WaveInputSerializer, responses={201: WaveDetailSerializer})
    def create(self, request: Request) -> Response:
        """Plan a draft wave."""
        payload = WaveInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        hospital = staff_hospital(user=request.user)
        data = _wave_input(dict(payload.validated_data), user=request.user, hospital=hospital, base=None)
        wave = wave_create(hospital=hospital, actor=request.user, data=data)
        return self._detail(wave, status.HTTP_201_CREATED)

    @extend_schema(request=WaveInputSerializer, responses={200: WaveDetailSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Change a draft that has not been drawn; send only the fields that change."""
        wave = self._wave(kwargs["pk"])
        payload = WaveInputSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        base = wave_input_from(wave)
        data = _wave_input(dict(payload.validated_data), user=request.user, hospital=wave.hospital, base=base)
        return self._detail(wave_update(wave=wave, actor=request.user, data=data))

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Discard a draft that has not been drawn."""
        wave_delete(wave=self._wave(kwargs["pk"]), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={200: DrawResultSerializer})
    @action(detail=True, methods=["post"])
    def draw(self, request: Request, pk: str) -> Response:
        """Draw the invitees (idempotent: nobody is invited twice; a sampled wave keeps its sample)."""
        result = wave_draw(wave=self._wave(pk), actor=request.user)
        return Response(DrawResultSerializer(result).data)

    @extend_schema(request=WaveMoveInputSerializer, responses={200: WaveDetailSerializer})
    @action(detail=True, methods=["post"], url_path="open")
    def open_wave(self, request: Request, pk: str) -> Response:
        """Open (or, with a reason, reopen) the wave: invitations are sent and answers accepted."""
        return self._move(request, pk, WaveStatus.OPEN)

    @extend_schema(request=WaveMoveInputSerializer, responses={200: WaveDetailSerializer})
    @action(detail=True, methods=["post"], url_path="close")
    def close_wave(self, request: Request, pk: str) -> Response:
        """Close the wave: nothing more is sent, no more answers."""
        return self._move(request, pk, WaveStatus.CLOSED)

    def _move(self, request: Request, pk: str, to: str) -> Response:
        wave = self._wave(pk)
        payload = WaveMoveInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        wave_transition(wave=wave, to=to, actor=request.user, reason=payload.validated_data["reason"])
        return self._detail(wave)

    @extend_schema(responses={200: WaveStatsSerializer})
    @action(detail=True, methods=["get"])
    def stats(self, request: Request, pk: str) -> Response:
        """Counts of the whole wave: the funnel, exclusions by reason, strata against target and quota."""
        return Response(WaveStatsSerializer(wave_stats(wave=self._wave(pk))).data)

    @extend_schema(
        responses={200: InvitationSerializer(many=True)},
        parameters=[OpenApiParameter("status", str, description="Only invitations with this status.")],
    )
    @action(detail=True, methods=["get"], pagination_class=StandardPagination)
    def invitations(self, request: Request, pk: str) -> Response:
        """The wave's invitations the caller may see, invitees masked (never the token)."""
        wave = self._wave(pk)
        invitations = invitation_list(user=request.user, wave=wave)
        wanted = request.query_params.get("status")
        if wanted:
            invitations = invitations.filter(status=wanted)
        page = self.paginate_queryset(invitations)
        context = {"anonymous": wave.anonymous}
        return self.get_paginated_response(InvitationSerializer(page, many=True, context=context).data)


class DeliveryReportView(APIView):
    """The SMS gateway's delivery report for one message (idempotent; unknown ids → 404)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(request=DeliveryReportSerializer, responses={200: DeliveryAckSerializer})
    def post(self, request: Request) -> Response:
        config: Any = settings.CAREBRIDGE["SMS"]
        expected = str(config["HTTP_TOKEN"])
        given = request.headers.get("X-Carebridge-Token", "")
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            raise PermissionDenied("Missing or wrong X-Carebridge-Token.")
        payload = DeliveryReportSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            message = message_status_update(
                provider_id=data["id"], status=data["status"], at=data.get("at"), error=data["error"]
            )
        except Message.DoesNotExist as exc:
            raise NotFound("No message with this id.") from exc
        return Response({"id": message.provider_id, "status": message.status})


router = Router()
router.register("surveys/waves", WaveViewSet, basename="survey-wave")

urls: list[URLPattern | URLResolver] = [
    path("surveys/messages/status/", DeliveryReportView.as_view(), name="survey-message-status"),
    *router.urls,
]
