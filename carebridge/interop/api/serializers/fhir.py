"""FHIR R4 resources out (plain JSON): what the registry, the checkup centre and the interfaces hold,
with identifiers masked as everywhere else (phone numbers; no national ID leaves through FHIR)."""

from __future__ import annotations

from typing import Any

from carebridge.checkup.choices import VisitKind
from carebridge.checkup.models import Result, Visit
from carebridge.core.api.serializers.fields import rfc3339
from carebridge.core.masking import mask_phone
from carebridge.interop.domain.fhir import ITEM_SYSTEM
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter, Patient

GENDER = {"M": "male", "F": "female", "U": "unknown"}
CLASS: dict[str, tuple[str, str]] = {
    EncounterKind.INPATIENT: ("IMP", "inpatient encounter"),
    EncounterKind.OUTPATIENT: ("AMB", "ambulatory"),
    EncounterKind.EMERGENCY: ("EMER", "emergency"),
    EncounterKind.CHECKUP: ("AMB", "ambulatory"),
}
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def _iso(value: Any) -> str | None:
    return rfc3339(value) if value else None


def patient_resource(patient: Patient, *, mrn_system: str) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(patient.pk),
        "identifier": [{"system": mrn_system, "value": patient.mrn}],
        "name": [{"text": patient.name}],
        "gender": GENDER.get(patient.sex, "unknown"),
        "telecom": [{"system": "phone", "value": mask_phone(p.number)} for p in patient.phones.all()],
    }
    if patient.birth_date:
        resource["birthDate"] = patient.birth_date.isoformat()
    return resource


def encounter_resource(encounter: Encounter) -> dict[str, Any]:
    code, display = CLASS.get(encounter.kind, ("AMB", "ambulatory"))
    resource: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": str(encounter.pk),
        "status": "finished" if encounter.ended_at else "in-progress",
        "class": {"system": ACT_CODE, "code": code, "display": display},
        "subject": {"reference": f"Patient/{encounter.patient_id}"},
        "serviceType": {
            "coding": [{"code": encounter.department.code, "display": encounter.department.name}]
        },
        "period": {
            k: v for k, v in (("start", _iso(encounter.started_at)), ("end", _iso(encounter.ended_at))) if v
        },
    }
    if encounter.source_key:
        resource["identifier"] = [{"value": encounter.source_key.rpartition(":")[2]}]
    if encounter.ward is not None:
        resource["location"] = [
            {"location": {"identifier": {"value": encounter.ward.code}, "display": encounter.ward.name}}
        ]
    return resource


def observation_resource(result: Result) -> dict[str, Any]:
    item = result.item
    coding = [{"system": ITEM_SYSTEM, "code": item.code, "display": item.name}]
    if item.loinc:
        coding.append({"system": "http://loinc.org", "code": item.loinc})
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": str(result.pk),
        "status": "final",
        "code": {"coding": coding, "text": item.name},
        "subject": {"reference": f"Patient/{result.visit.patient_id}"},
        "effectiveDateTime": _iso(result.recorded_at),
        "interpretation": [{"coding": [{"system": INTERPRETATION, "code": result.flag}]}],
    }
    if result.visit.encounter_id:
        resource["encounter"] = {"reference": f"Encounter/{result.visit.encounter_id}"}
    if result.value_numeric is not None:
        resource["valueQuantity"] = {
            "value": float(result.value_numeric),
            "unit": result.unit,
            "system": "http://unitsofmeasure.org",
            "code": result.unit,
        }
        low, high = result.ref_low, result.ref_high
        if low is not None or high is not None:
            bounds: dict[str, Any] = {}
            if low is not None:
                bounds["low"] = {"value": float(low), "unit": result.unit}
            if high is not None:
                bounds["high"] = {"value": float(high), "unit": result.unit}
            resource["referenceRange"] = [bounds]
    else:
        resource["valueString"] = result.value_text
    return resource


def report_resource(visit: Visit) -> dict[str, Any]:
    """A checkup visit, or a ward's laboratory order (a clinical results holder: its number is the
    laboratory's order number, its encounter the stay)."""
    clinical = visit.kind == VisitKind.CLINICAL
    resource: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": str(visit.pk),
        "identifier": [{"value": visit.number}],
        "status": "final" if visit.signed_at or clinical else "partial",
        "code": {"text": "Laboratory report" if clinical else "Health checkup"},
        "subject": {"reference": f"Patient/{visit.patient_id}"},
        "effectiveDateTime": visit.scheduled_for.isoformat(),
        "result": [
            {"reference": f"Observation/{pk}"}
            for pk in visit.results.order_by("id").values_list("pk", flat=True)
        ],
    }
    if clinical and visit.encounter_id is not None:
        resource["encounter"] = {"reference": f"Encounter/{visit.encounter_id}"}
    return resource


def searchset(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [{"resource": r, "fullUrl": f"{r['resourceType']}/{r['id']}"} for r in resources],
    }
