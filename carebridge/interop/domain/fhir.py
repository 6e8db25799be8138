"""FHIR R4 bundles in: validated with ``fhir.resources`` (R4B models, pydantic), then read into the same
records as HL7 v2 (:mod:`records`) so that one set of services files both.

Supported in a ``transaction`` or ``batch`` Bundle: Patient, Encounter, Observation and DiagnosticReport
(whose ``result`` observations are filed with the report's encounter). References between entries use
``fullUrl`` (``urn:uuid:…``), or point at a stored record (``Patient/12``) or an identifier
(``Patient?identifier=system|value``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from fhir.resources.R4B.bundle import Bundle
from pydantic.v1 import ValidationError as PydanticError

from carebridge.interop.domain.records import ObservationRecord, PersonRecord, StayRecord
from carebridge.lib.text import is_id

RESOURCES = frozenset({"Patient", "Encounter", "Observation", "DiagnosticReport"})
CLASS_CODES = {"IMP": "I", "ACUTE": "I", "NONAC": "I", "AMB": "O", "EMER": "E"}
GENDERS = {"male": "M", "female": "F", "unknown": "U", "other": "U"}
ITEM_SYSTEM = "urn:carebridge:item"


class BundleError(ValueError):
    """A bundle that is not valid FHIR R4 or not what this endpoint takes: ``issues`` for the outcome."""

    def __init__(self, issues: list[str]) -> None:
        super().__init__("; ".join(issues))
        self.issues = issues


@dataclass
class Ref:
    """A reference to a patient or encounter: an entry of the bundle, a stored id, or an identifier."""

    full_url: str = ""
    stored_id: int | None = None
    system: str = ""
    value: str = ""


@dataclass
class Entry:
    index: int
    resource_type: str
    full_url: str
    resource: dict[str, Any]
    person: PersonRecord | None = None
    stay: StayRecord | None = None
    finished: bool = False
    subject: Ref | None = None
    encounter: Ref | None = None
    observation: ObservationRecord | None = None
    results: list[str] = field(default_factory=list)


def validate(body: Any) -> tuple[str, str, list[dict[str, Any]]]:
    """``(bundle type, bundle key, entries)`` of a valid Bundle; :class:`BundleError` otherwise."""
    if not isinstance(body, dict) or body.get("resourceType") != "Bundle":
        raise BundleError([_("The body must be a FHIR Bundle.")])
    try:
        bundle = Bundle.parse_obj(body)
    except PydanticError as error:
        raise BundleError(
            [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()[:20]]
        ) from None
    if bundle.type not in {"transaction", "batch"}:
        raise BundleError(
            [_("Bundle.type must be transaction or batch, not %(type)s.") % {"type": bundle.type}]
        )
    entries = body.get("entry") or []
    problems = [
        _("entry[%(index)s]: %(kind)s is not supported here.")
        % {"index": i, "kind": e.get("resource", {}).get("resourceType")}
        for i, e in enumerate(entries)
        if e.get("resource", {}).get("resourceType") not in RESOURCES
    ]
    if problems:
        raise BundleError(problems)
    key = (body.get("identifier") or {}).get("value") or body.get("id") or ""
    return bundle.type, str(key), entries


def reference(value: dict[str, Any] | None, kind: str) -> Ref | None:
    if not value:
        return None
    text = str(value.get("reference") or "")
    if text.startswith("urn:"):
        return Ref(full_url=text)
    if text.startswith(f"{kind}/") and is_id(text[len(kind) + 1 :]):
        return Ref(stored_id=int(text[len(kind) + 1 :]))
    if text.startswith(f"{kind}?identifier="):
        system, _bar, code = text.split("=", 1)[1].rpartition("|")
        return Ref(system=system, value=code)
    identifier = value.get("identifier") or {}
    if identifier.get("value"):
        return Ref(system=str(identifier.get("system") or ""), value=str(identifier["value"]))
    raise BundleError([_("Cannot resolve the reference %(ref)s.") % {"ref": repr(text or value)}])


def _time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise BundleError([_("%(value)s: a time needs its offset (e.g. +08:00).") % {"value": value}])
    return parsed


def identifier_value(resource: dict[str, Any], system: str | None = None) -> tuple[str, str]:
    for identifier in resource.get("identifier") or []:
        if system is None or identifier.get("system") == system:
            return str(identifier.get("system") or ""), str(identifier.get("value") or "")
    return "", ""


def person(resource: dict[str, Any], mrn_system: str) -> PersonRecord:
    _system, mrn = identifier_value(resource, mrn_system)
    if not mrn:
        raise BundleError([_("Patient needs an identifier with system %(system)s.") % {"system": mrn_system}])
    names = resource.get("name") or [{}]
    first = names[0]
    name = first.get("text") or (first.get("family", "") + "".join(first.get("given") or []))
    phone = next(
        (t.get("value", "") for t in resource.get("telecom") or [] if t.get("system") == "phone"), ""
    )
    birth = resource.get("birthDate")
    return PersonRecord(
        mrn=mrn[:32],
        name=str(name)[:64],
        sex=GENDERS.get(str(resource.get("gender") or ""), ""),
        birth_date=dt.date.fromisoformat(birth) if birth else None,
        phone=str(phone)[:20],
    )


def stay(resource: dict[str, Any]) -> StayRecord:
    _system, number = identifier_value(resource)
    if not number:
        raise BundleError([_("Encounter needs an identifier (the visit number).")])
    period = resource.get("period") or {}
    service = ((resource.get("serviceType") or {}).get("coding") or [{}])[0].get("code", "")
    ward = ""
    for location in resource.get("location") or []:
        ward = (location.get("location") or {}).get("identifier", {}).get("value", "") or ward
    return StayRecord(
        visit_number=number[:64],
        patient_class=CLASS_CODES.get(str((resource.get("class") or {}).get("code") or "").upper(), "O"),
        department_code=str(service),
        ward_code=str(ward),
        started_at=_time(period.get("start")),
        ended_at=_time(period.get("end")),
    )


def observation(resource: dict[str, Any], key: str, index: int) -> ObservationRecord:
    codings = (resource.get("code") or {}).get("coding") or []
    if not codings:
        raise BundleError([_("entry[%(index)s]: Observation.code has no coding.") % {"index": index}])
    preferred = next((c for c in codings if c.get("system") == ITEM_SYSTEM), codings[0])
    value, unit = "", ""
    if "valueQuantity" in resource:
        quantity = resource["valueQuantity"]
        value = str(Decimal(str(quantity.get("value"))))
        unit = str(quantity.get("code") or quantity.get("unit") or "")
    elif "valueString" in resource:
        value = str(resource["valueString"])
    elif "valueCodeableConcept" in resource:
        concept = resource["valueCodeableConcept"]
        value = str(((concept.get("coding") or [{}])[0]).get("code") or concept.get("text") or "")
    return ObservationRecord(
        key=key,
        code=str(preferred.get("code") or ""),
        system=str(preferred.get("system") or ""),
        display=str(preferred.get("display") or ""),
        value=value,
        unit=unit,
        status="C" if resource.get("status") in {"corrected", "amended"} else "F",
        observed_at=_time(resource.get("effectiveDateTime") or resource.get("issued")),
        location=f"entry[{index}]",
    )


def entries_of(raw_entries: list[dict[str, Any]], mrn_system: str) -> list[Entry]:
    """The entries read into records (references left to resolve against the bundle and the database)."""
    read: list[Entry] = []
    for index, raw in enumerate(raw_entries):
        resource = raw.get("resource") or {}
        kind = resource["resourceType"]
        entry = Entry(
            index=index, resource_type=kind, full_url=str(raw.get("fullUrl") or ""), resource=resource
        )
        if kind == "Patient":
            entry.person = person(resource, mrn_system)
        elif kind == "Encounter":
            entry.stay = stay(resource)
            entry.finished = resource.get("status") == "finished"
            entry.subject = reference(resource.get("subject"), "Patient")
        elif kind == "Observation":
            entry.subject = reference(resource.get("subject"), "Patient")
            entry.encounter = reference(resource.get("encounter"), "Encounter")
            entry.observation = observation(resource, entry.full_url or f"entry{index}", index)
        else:
            entry.subject = reference(resource.get("subject"), "Patient")
            entry.encounter = reference(resource.get("encounter"), "Encounter")
            entry.results = [str(r.get("reference") or "") for r in resource.get("result") or []]
        if kind != "Patient" and entry.subject is None:
            raise BundleError(
                [_("entry[%(index)s]: %(kind)s.subject is required.") % {"index": index, "kind": kind}]
            )
        read.append(entry)
    return read
