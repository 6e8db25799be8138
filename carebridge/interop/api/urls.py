"""FHIR R4 endpoints, included at /fhir/r4/ by the root URLs."""

from __future__ import annotations

from django.urls import path

from carebridge.interop.api.views.fhir import (
    BundleView,
    CommunicationView,
    DiagnosticReportView,
    EncounterView,
    ObservationView,
    PatientView,
)

app_name = "fhir"

urlpatterns = [
    path("", BundleView.as_view(), name="bundle"),
    path("Patient", PatientView.as_view(), name="patient-search"),
    path("Patient/<int:pk>", PatientView.as_view(), name="patient"),
    path("Encounter", EncounterView.as_view(), name="encounter-search"),
    path("Encounter/<int:pk>", EncounterView.as_view(), name="encounter"),
    path("Observation", ObservationView.as_view(), name="observation-search"),
    path("Observation/<int:pk>", ObservationView.as_view(), name="observation"),
    path("DiagnosticReport", DiagnosticReportView.as_view(), name="report-search"),
    path("DiagnosticReport/<int:pk>", DiagnosticReportView.as_view(), name="report"),
    path("Communication", CommunicationView.as_view(), name="communication-search"),
    path("Communication/<str:pk>", CommunicationView.as_view(), name="communication"),
]
