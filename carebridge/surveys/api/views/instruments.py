"""REST API of the surveys app: instruments and their versions.

``/api/v1/surveys/instruments/``: list (library and own), retrieve, create (draft v1); ``import``
(POST an export document); ``{id}/versions/`` (GET the history, POST a new draft copied from the latest).
``/api/v1/surveys/versions/{id}/``: retrieve with the definition and derived items; PATCH the
definition of a draft; POST ``publish``, ``retire``, ``weights`` (``draft_set_weights``), ``copy``
(into the caller's hospital); GET ``export`` (the downloadable JSON). Reading needs
``surveys.view_instrument``; every write ``surveys.change_instrument`` (creating, importing and
copying also ``surveys.add_instrument``). Refusals of the services come back as 400 with field errors.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, URLResolver
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.views.routing import Router
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.surveys.api.serializers.instruments import (
    CopyInputSerializer,
    DefinitionInputSerializer,
    ExportDocumentSerializer,
    ImportResultSerializer,
    InstrumentInputSerializer,
    InstrumentSerializer,
    NewDraftInputSerializer,
    RetireInputSerializer,
    VersionDetailSerializer,
    VersionSerializer,
    WeightsInputSerializer,
)
from carebridge.surveys.models import Instrument, InstrumentVersion
from carebridge.surveys.selectors.instruments import instrument_list, version_list
from carebridge.surveys.services.instruments import (
    draft_set_weights,
    draft_update,
    export_document,
    instrument_copy,
    instrument_create,
    instrument_import,
    version_create_draft,
    version_publish,
    version_retire,
)

_CREATING_ACTIONS = frozenset({"create", "import_document", "copy"})


class InstrumentPermissions(BasePermission):
    """GET needs ``view_instrument``; writes ``change_instrument`` (and ``add_instrument`` to create)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return bool(user.has_perm("surveys.view_instrument"))
        needed = ["surveys.change_instrument"]
        if getattr(view, "action", None) in _CREATING_ACTIONS:
            needed.append("surveys.add_instrument")
        return bool(user.has_perms(needed))


class InstrumentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Instruments the caller may read: the library (``library`` true) and the hospital's own."""

    permission_classes = [InstrumentPermissions]
    serializer_class = InstrumentSerializer
    queryset = Instrument.objects.none()
    filterset_fields = ["kind", "respondent_class", "code"]
    ordering_fields = ["code", "created_at"]

    def get_queryset(self) -> QuerySet[Instrument]:
        return instrument_list(user=self.request.user)

    @extend_schema(request=InstrumentInputSerializer, responses={201: InstrumentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = InstrumentInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        instrument = instrument_create(
            hospital=staff_hospital(user=request.user), actor=request.user, **payload.validated_data
        )
        return Response(InstrumentSerializer(instrument).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ExportDocumentSerializer,
        responses={201: ImportResultSerializer, 200: ImportResultSerializer},
        description="Import an exported instrument as a draft; idempotent by content hash (then 200).",
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_document(self, request: Request) -> Response:
        result = instrument_import(
            hospital=staff_hospital(user=request.user), actor=request.user, document=request.data
        )
        return Response(
            ImportResultSerializer(result).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    @extend_schema(methods=["GET"], responses=VersionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=NewDraftInputSerializer, responses={201: VersionDetailSerializer}
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def versions(self, request: Request, pk: str | None = None) -> Response:
        instrument = self.get_object()
        if request.method == "GET":
            versions = version_list(user=request.user, instrument=instrument)
            return Response(VersionSerializer(versions, many=True).data)
        payload = NewDraftInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = version_create_draft(instrument=instrument, actor=request.user, **payload.validated_data)
        return Response(VersionDetailSerializer(version).data, status=status.HTTP_201_CREATED)


class VersionViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One version: its definition and derived items; a draft's definition can be replaced (PATCH)."""

    permission_classes = [InstrumentPermissions]
    serializer_class = VersionDetailSerializer
    queryset = InstrumentVersion.objects.none()
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[InstrumentVersion]:
        return version_list(user=self.request.user).prefetch_related("items")

    def _detail(self, version: InstrumentVersion, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=version.pk)
        return Response(VersionDetailSerializer(fresh).data, status=code)

    @extend_schema(request=DefinitionInputSerializer, responses={200: VersionDetailSerializer})
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        version = self.get_object()
        payload = DefinitionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        draft_update(version=version, actor=request.user, definition=payload.validated_data["definition"])
        return self._detail(version)

    @extend_schema(request=None, responses={200: VersionDetailSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        version = version_publish(version=self.get_object(), actor=request.user)
        return self._detail(version)

    @extend_schema(request=RetireInputSerializer, responses={200: VersionDetailSerializer})
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str | None = None) -> Response:
        payload = RetireInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        version = version_retire(version=self.get_object(), actor=request.user, **payload.validated_data)
        return self._detail(version)

    @extend_schema(request=WeightsInputSerializer, responses={200: VersionDetailSerializer})
    @action(detail=True, methods=["post"])
    def weights(self, request: Request, pk: str | None = None) -> Response:
        payload = WeightsInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        version = draft_set_weights(
            version=self.get_object(),
            actor=request.user,
            level=data["level"],
            parent_code=data["parent_code"] or None,
            weights=data["weights"],
        )
        return self._detail(version)

    @extend_schema(request=CopyInputSerializer, responses={201: InstrumentSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request: Request, pk: str | None = None) -> Response:
        payload = CopyInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        instrument = instrument_copy(
            source=self.get_object(),
            hospital=staff_hospital(user=request.user),
            actor=request.user,
            **payload.validated_data,
        )
        return Response(InstrumentSerializer(instrument).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: OpenApiResponse(ExportDocumentSerializer, description="The JSON file")})
    @action(detail=True, methods=["get"])
    def export(self, request: Request, pk: str | None = None) -> Response:
        version = self.get_object()
        response = Response(export_document(version))
        filename = f"{version.instrument.code}-v{version.number}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


router = Router()
router.register("surveys/instruments", InstrumentViewSet, basename="survey-instrument")
router.register("surveys/versions", VersionViewSet, basename="survey-version")

urls: list[URLPattern | URLResolver] = list(router.urls)
