"""Registry API: scoped querysets from the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions, ModelViewPermission
from carebridge.core.http import client_ip
from carebridge.core.models import Staff, Ward
from carebridge.core.selectors.organisation import department_list, staff_hospital, staff_list
from carebridge.patients import selectors
from carebridge.patients.api.serializers import (
    EncounterInputSerializer,
    EncounterOutputSerializer,
    PatientInputSerializer,
    PatientOutputSerializer,
    PatientUpdateSerializer,
    RevealInputSerializer,
    RevealOutputSerializer,
)
from carebridge.patients.choices import AccessChannel, EncounterKind
from carebridge.patients.filters import PatientFilterSet
from carebridge.patients.models import Encounter, Patient
from carebridge.patients.services import (
    DiagnosisInput,
    PhoneInput,
    encounter_create,
    patient_access_record,
    patient_create,
    patient_reveal,
    patient_update,
)


class PatientViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Patients in the caller's scope. Identifiers are masked; ``reveal`` shows them, logged."""

    permission_classes = [ModelPermissions]
    filterset_class = PatientFilterSet
    ordering_fields = ["id", "name", "mrn", "birth_date", "updated_at"]
    queryset = Patient.objects.none()

    def get_queryset(self) -> QuerySet[Patient]:
        return selectors.patient_list_for_display(user=self.request.user).prefetch_related("tags")

    def get_serializer_class(self) -> type:
        return PatientOutputSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = selectors.patient_get(user=request.user, pk=int(kwargs["pk"]))
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
        patient = selectors.patient_get(user=request.user, pk=patient.pk)
        return Response(PatientOutputSerializer(patient).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PatientUpdateSerializer, responses={200: PatientOutputSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        patient = selectors.patient_get(user=request.user, pk=int(pk))
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
        return Response(PatientOutputSerializer(selectors.patient_get(user=request.user, pk=patient.pk)).data)

    @extend_schema(request=RevealInputSerializer, responses={200: RevealOutputSerializer})
    @action(detail=True, methods=["post"], permission_classes=[ModelViewPermission])
    def reveal(self, request: Request, pk: str) -> Response:
        patient = selectors.patient_get(user=request.user, pk=int(pk))
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


class EncounterFilterSet(django_filters.FilterSet):
    patient = django_filters.NumberFilter(field_name="patient_id")
    department = django_filters.CharFilter(field_name="department__code")
    kind = django_filters.ChoiceFilter(choices=EncounterKind.choices)
    started_after = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lt")
    icd10 = django_filters.CharFilter(field_name="diagnoses__code", lookup_expr="startswith", distinct=True)

    class Meta:
        model = Encounter
        fields = ["patient", "department", "kind", "critical", "surgery_grade"]


class EncounterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Encounters of the departments in the caller's scope."""

    permission_classes = [ModelPermissions]
    filterset_class = EncounterFilterSet
    ordering_fields = ["started_at", "ended_at", "id"]
    queryset = Encounter.objects.none()

    def get_queryset(self) -> QuerySet[Encounter]:
        return (
            selectors.encounter_list(user=self.request.user)
            .select_related("department", "ward", "attending_doctor", "primary_nurse")
            .prefetch_related("diagnoses")
            .order_by("-started_at", "-id")
        )

    def get_serializer_class(self) -> type:
        return EncounterOutputSerializer

    @extend_schema(request=EncounterInputSerializer, responses={201: EncounterOutputSerializer})
    def create(self, request: Request) -> Response:
        payload = EncounterInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = request.user
        patient = get_object_or_404(selectors.patient_list(user=user), pk=data["patient"])
        department = get_object_or_404(
            department_list(user=user), hospital_id=patient.hospital_id, code=data["department"]
        )
        ward = get_object_or_404(Ward, department=department, code=data["ward"]) if data.get("ward") else None
        staff: QuerySet[Staff] = staff_list(user=user)
        doctor = (
            get_object_or_404(staff, pk=data["attending_doctor"]) if data.get("attending_doctor") else None
        )
        nurse = get_object_or_404(staff, pk=data["primary_nurse"]) if data.get("primary_nurse") else None
        encounter = encounter_create(
            patient=patient,
            actor=user,
            kind=data["kind"],
            department=department,
            ward=ward,
            attending_doctor=doctor,
            primary_nurse=nurse,
            started_at=data["started_at"],
            ended_at=data.get("ended_at"),
            surgery_grade=data.get("surgery_grade"),
            critical=data["critical"],
            diagnoses=[DiagnosisInput(**d) for d in data.get("diagnoses", [])],
            source_key=data.get("source_key") or None,
        )
        output = self.get_queryset().get(pk=encounter.pk)
        return Response(EncounterOutputSerializer(output).data, status=status.HTTP_201_CREATED)
