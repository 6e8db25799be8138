"""FHIR R4 at /fhir/r4/ (token auth): ``POST /fhir/r4/`` a transaction or batch Bundle (system accounts
only); read and search Patient, Encounter, Observation, DiagnosticReport. Every answer that is not a
resource is an OperationOutcome; every patient returned is written to the access log."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carebridge.core.api.renderers import JSONRenderer
from carebridge.core.models import Staff
from carebridge.interop.api.serializers.fhir import (
    encounter_resource,
    observation_resource,
    patient_resource,
    report_resource,
    searchset,
)
from carebridge.interop.selectors import fhir as select
from carebridge.interop.services.fhir import bundle_receive, mrn_system_for, outcome
from carebridge.patients.choices import AccessChannel
from carebridge.patients.services.access import patient_access_record

SEARCH_LIMIT = 200


class FhirRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    charset = "utf-8"


class FhirParser(JSONParser):
    media_type = "application/fhir+json"


class FhirView(APIView):
    # FHIR resources are defined by the FHIR specification, not by this API's OpenAPI schema.
    schema = None
    renderer_classes = [FhirRenderer, JSONRenderer]
    parser_classes = [FhirParser, JSONParser]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return Response(outcome([str(exc.detail)], code="login"), status=status.HTTP_401_UNAUTHORIZED)
        if isinstance(exc, exceptions.APIException):
            return Response(
                outcome([str(exc.detail)], code="forbidden" if exc.status_code == 403 else "invalid"),
                status=exc.status_code,
            )
        if isinstance(exc, select.SearchError):
            return Response(outcome([str(exc)], code="invalid"), status=400)
        from django.core.exceptions import PermissionDenied

        if isinstance(exc, PermissionDenied):
            return Response(outcome([str(exc)], code="forbidden"), status=403)
        return super().handle_exception(exc)

    def params(self, request: Request) -> dict[str, Any]:
        return request.query_params

    def log_patients(self, request: Request, patient_ids: set[int]) -> None:
        from carebridge.patients.models import Patient

        for patient in Patient.objects.filter(pk__in=patient_ids).order_by("id"):
            patient_access_record(
                patient=patient,
                user=request.user,
                channel=AccessChannel.API,
                ip_address=request.META.get("REMOTE_ADDR"),
            )

    def answer(
        self, request: Request, resources: list[dict[str, Any]], *, pk: int | None, patient_ids: set[int]
    ) -> Response:
        self.log_patients(request, patient_ids)
        if pk is not None:
            if not resources:
                return Response(
                    outcome([f"{self.resource_type}/{pk} is not found."], code="not-found"), status=404
                )
            return Response(resources[0])
        return Response(searchset(resources))

    resource_type = ""


class BundleView(FhirView):
    def post(self, request: Request) -> Response:
        result = bundle_receive(body=request.data, actor=request.user)
        if result.issues:
            return Response(
                outcome(result.issues, code="invalid" if result.status == 400 else "processing"),
                status=result.status,
            )
        response_type = "transaction-response"
        if isinstance(request.data, dict) and request.data.get("type") == "batch":
            response_type = "batch-response"
        return Response({"resourceType": "Bundle", "type": response_type, "entry": result.entries})


def _mrn_system(request: Request) -> str:
    staff = Staff.objects.filter(user_id=request.user.pk or 0).select_related("hospital").first()
    return mrn_system_for(staff.hospital) if staff else ""


class PatientView(FhirView):
    resource_type = "Patient"

    def get(self, request: Request, pk: int | None = None) -> Response:
        params = dict(self.params(request).items()) | ({"_id": str(pk)} if pk else {})
        system = _mrn_system(request)
        rows = list(select.patients(user=request.user, params=params, mrn_system=system)[:SEARCH_LIMIT])
        return self.answer(
            request,
            [patient_resource(p, mrn_system=system) for p in rows],
            pk=pk,
            patient_ids={p.pk for p in rows},
        )


class EncounterView(FhirView):
    resource_type = "Encounter"

    def get(self, request: Request, pk: int | None = None) -> Response:
        rows = select.encounters(user=request.user, params=dict(self.params(request).items()))
        if pk is not None:
            rows = rows.filter(pk=pk)
        found = list(rows[:SEARCH_LIMIT])
        return self.answer(
            request, [encounter_resource(e) for e in found], pk=pk, patient_ids={e.patient_id for e in found}
        )


class ObservationView(FhirView):
    resource_type = "Observation"

    def get(self, request: Request, pk: int | None = None) -> Response:
        rows = select.observations(user=request.user, params=self.params(request))
        if pk is not None:
            rows = rows.filter(pk=pk)
        found = list(rows[:SEARCH_LIMIT])
        return self.answer(
            request,
            [observation_resource(r) for r in found],
            pk=pk,
            patient_ids={r.visit.patient_id for r in found},
        )


class DiagnosticReportView(FhirView):
    resource_type = "DiagnosticReport"

    def get(self, request: Request, pk: int | None = None) -> Response:
        rows = select.reports(user=request.user, params=dict(self.params(request).items()))
        if pk is not None:
            rows = rows.filter(pk=pk)
        found = list(rows[:SEARCH_LIMIT])
        return self.answer(
            request, [report_resource(v) for v in found], pk=pk, patient_ids={v.patient_id for v in found}
        )


class CommunicationView(FhirView):
    """Critical-result notifications (issue #13) as Communication, by the critical app's own mapping."""

    resource_type = "Communication"

    def get(self, request: Request, pk: str | None = None) -> Response:
        if not select.critical_available():
            return Response(
                outcome(["Communication is not available here."], code="not-supported"), status=404
            )
        system = _mrn_system(request)
        found = select.communications(user=request.user, params=dict(self.params(request).items()), pk=pk)
        resources = [select.communication_resource(n, mrn_system=system) for n in found]
        self.log_patients(request, {n.patient_id for n in found})
        if pk is not None:
            if not resources:
                return Response(outcome([f"Communication/{pk} is not found."], code="not-found"), status=404)
            return Response(resources[0])
        return Response(searchset(resources))
