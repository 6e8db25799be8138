"""Encounters through the API: scoped querysets from the selectors, writes through the services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.http import client_ip
from carebridge.core.models import Staff, Ward
from carebridge.core.selectors.organisation import department_list, staff_list
from carebridge.lib.text import is_id
from carebridge.patients.api.serializers.encounters import EncounterInputSerializer, EncounterOutputSerializer
from carebridge.patients.choices import AccessChannel
from carebridge.patients.filters import EncounterFilterSet
from carebridge.patients.models import Encounter, Patient
from carebridge.patients.selectors.encounters import encounter_list
from carebridge.patients.selectors.patients import patient_list
from carebridge.patients.services.access import patient_access_record
from carebridge.patients.services.encounters import DiagnosisInput, encounter_create


def _log(request: Request, patient: Patient) -> None:
    patient_access_record(
        patient=patient,
        user=request.user,
        channel=AccessChannel.API,
        ip_address=client_ip(request),
        reason="encounters",
    )


class EncounterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Encounters of the departments in the caller's scope."""

    permission_classes = [ModelPermissions]
    filterset_class = EncounterFilterSet
    ordering_fields = ["started_at", "ended_at", "id"]
    queryset = Encounter.objects.none()

    def get_queryset(self) -> QuerySet[Encounter]:
        return (
            encounter_list(user=self.request.user)
            .select_related("department", "ward", "attending_doctor", "primary_nurse")
            .prefetch_related("diagnoses")
            .order_by("-started_at", "-id")
        )

    def get_serializer_class(self) -> type:
        return EncounterOutputSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """One access-log row when the list is one person's encounters (``?patient=``)."""
        response = super().list(request, *args, **kwargs)
        wanted = request.query_params.get("patient", "")
        if response.status_code == 200 and is_id(wanted):
            patient = patient_list(user=request.user).filter(pk=int(wanted)).first()
            if patient is not None:
                _log(request, patient)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        encounter = get_object_or_404(self.get_queryset().select_related("patient"), pk=kwargs["pk"])
        _log(request, encounter.patient)
        return Response(EncounterOutputSerializer(encounter).data)

    @extend_schema(request=EncounterInputSerializer, responses={201: EncounterOutputSerializer})
    def create(self, request: Request) -> Response:
        payload = EncounterInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        user = request.user
        patient = get_object_or_404(patient_list(user=user), pk=data["patient"])
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
