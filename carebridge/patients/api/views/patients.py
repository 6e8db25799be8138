"""Patients through the API: scoped querysets from the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from carebridge.core.api.filters import Ordering
from carebridge.core.api.pagination import LookupPagination
from carebridge.core.api.permissions import ModelPermissions, ModelViewPermission
from carebridge.core.http import client_ip
from carebridge.core.selectors.organisation import staff_hospital
from carebridge.patients.api.serializers.patients import (
    PatientInputSerializer,
    PatientOutputSerializer,
    PatientSearchInputSerializer,
    PatientUpdateSerializer,
    RevealInputSerializer,
    RevealOutputSerializer,
)
from carebridge.patients.choices import AccessChannel
from carebridge.patients.filters import PatientFilterSet, search_box_only
from carebridge.patients.models import Patient
from carebridge.patients.selectors.lookup import PatientLookup, patient_lookup
from carebridge.patients.selectors.patients import patient_get, patient_list_for_display, patient_rows_ready
from carebridge.patients.services.access import patient_access_record, patient_reveal
from carebridge.patients.services.patients import PhoneInput, patient_create, patient_update


class PatientViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Patients in the caller's scope. Identifiers are masked; ``reveal`` shows them, logged."""

    permission_classes = [ModelPermissions]
    pagination_class = LookupPagination
    filterset_class = PatientFilterSet
    ordering_fields = ["id", "name", "mrn", "birth_date", "updated_at"]
    queryset = Patient.objects.none()

    def get_queryset(self) -> QuerySet[Patient]:
        return patient_list_for_display(user=self.request.user).prefetch_related("tags")

    def get_serializer_class(self) -> type:
        return PatientOutputSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._search(request, request.query_params)

    @extend_schema(
        request=PatientSearchInputSerializer,
        responses={200: PatientOutputSerializer(many=True)},
        description="The list's filters in the body, so a national ID or phone searched for stays out "
        "of URLs and access logs (``?page=`` may stay in the URL).",
    )
    @action(detail=False, methods=["post"], permission_classes=[ModelViewPermission])
    def search(self, request: Request) -> Response:
        payload = PatientSearchInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._search(request, {k: v for k, v in payload.validated_data.items() if v not in ("", None)})

    def _search(self, request: Request, data: Any) -> Response:
        """The filtered, paginated list; a search that finds exactly one person is a look-up of that
        person's record and writes one access-log row (browsing a list of many writes none)."""
        query = search_box_only(data)
        if query is not None and not request.query_params.get(api_settings.ORDERING_PARAM):
            # Only the search box: the prepared look-up, without the FilterSet's per-request set-up.
            queryset: QuerySet[Patient] | PatientLookup = patient_lookup(user=request.user, query=query)
        else:
            filterset = PatientFilterSet(data, queryset=self.get_queryset(), request=request)
            if not filterset.is_valid():
                raise ValidationError(filterset.errors)
            queryset = self.filter_queryset_ordering(filterset.qs)
            query = filterset.form.cleaned_data.get("q")
        page = self.paginate_queryset(queryset)  # type: ignore[arg-type]  # DRF types a queryset; a PatientLookup pages alike
        rows = list(page if page is not None else queryset)
        patient_rows_ready(rows)
        if query and len(rows) == 1:
            patient_access_record(
                patient=rows[0],
                user=request.user,
                channel=AccessChannel.API,
                ip_address=client_ip(request),
                reason="search",
            )
        data = PatientOutputSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def filter_queryset_ordering(self, queryset: QuerySet[Patient]) -> QuerySet[Patient]:
        return Ordering().filter_queryset(self.request, queryset, self)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = patient_get(user=request.user, pk=int(kwargs["pk"]))
        patient_access_record(
            patient=patient, user=request.user, channel=AccessChannel.API, ip_address=client_ip(request)
        )
        return Response(PatientOutputSerializer(patient).data)

    @extend_schema(request=PatientInputSerializer, responses={201: PatientOutputSerializer})
    def create(self, request: Request) -> Response:
        payload = PatientInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        patient = patient_create(
            hospital=staff_hospital(user=request.user),
            actor=request.user,
            values=payload.service_values(),
            phones=[PhoneInput(**p) for p in payload.validated_data.get("phones", [])],
            tags=payload.validated_data.get("tags", []),
            source_key=payload.validated_data.get("source_key") or None,
        )
        patient = patient_get(user=request.user, pk=patient.pk)
        return Response(PatientOutputSerializer(patient).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PatientUpdateSerializer, responses={200: PatientOutputSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        patient = patient_get(user=request.user, pk=int(pk))
        payload = PatientUpdateSerializer(data=request.data, partial=True)
        payload.is_valid(raise_exception=True)
        phones = payload.validated_data.get("phones")
        patient_update(
            patient=patient,
            actor=request.user,
            values=payload.service_values(),
            phones=[PhoneInput(**p) for p in phones] if phones is not None else None,
            tags=payload.validated_data.get("tags"),
        )
        return Response(PatientOutputSerializer(patient_get(user=request.user, pk=patient.pk)).data)

    @extend_schema(request=RevealInputSerializer, responses={200: RevealOutputSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ModelViewPermission])
    def reveal(self, request: Request, pk: str) -> Response:
        patient = patient_get(user=request.user, pk=int(pk))
        payload = RevealInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        revealed = patient_reveal(
            patient=patient,
            actor=request.user,
            reason=payload.validated_data["reason"],
            fields=payload.validated_data["fields"],
            channel=AccessChannel.API,
            ip_address=client_ip(request),
        )
        return Response(RevealOutputSerializer(revealed).data)
