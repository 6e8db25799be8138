"""What an inbound message says, independent of its format: HL7 v2 segments and FHIR resources are both
read into these records, and one set of services files them (so both channels behave the same)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


class IntakeError(Exception):
    """An application error (HL7 ``AE``): the message was understood but cannot be filed as it stands —
    an unknown patient, item code or unit. ``code`` is from HL7 table 0357, ``location`` the segment,
    repetition and field (``"PID^1^3"``), ``text`` a reason a person can act on."""

    def __init__(self, text: str, *, code: str = "207", location: str = "") -> None:
        super().__init__(text)
        self.text = text
        self.code = code
        self.location = location


class Unsupported(Exception):
    """A message that cannot be parsed or is not supported (HL7 ``AR``)."""

    def __init__(self, text: str, *, code: str = "200") -> None:
        super().__init__(text)
        self.text = text
        self.code = code


@dataclass(frozen=True)
class PersonRecord:
    mrn: str
    name: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    national_id: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class StayRecord:
    """The visit or stay (PV1, or a FHIR Encounter)."""

    visit_number: str
    patient_class: str = ""  # HL7 table 0004: I inpatient, O outpatient, E emergency
    department_code: str = ""
    ward_code: str = ""
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    diagnoses: tuple[tuple[str, str], ...] = ()  # (ICD-10 code, name)
    attending_doctor: str = ""  # PV1-7's name: the first rung of the clinical critical-result ladder


@dataclass(frozen=True)
class ObservationRecord:
    key: str  # unique within the message (OBX set id, FHIR fullUrl)
    code: str
    system: str
    display: str = ""
    value: str = ""
    unit: str = ""
    status: str = "F"  # F final, C corrected
    observed_at: dt.datetime | None = None
    location: str = ""


@dataclass(frozen=True)
class AdtRecord:
    event: str  # A01, A02, ...
    person: PersonRecord
    stay: StayRecord | None = None
    event_at: dt.datetime | None = None
    prior_mrn: str = ""  # A40: the record merged away


@dataclass(frozen=True)
class ResultRecord:
    """Results of one checkup visit or one encounter: ``visit_number`` is PV1-19 (a checkup visit's
    number or the HIS's encounter number), ``encounter_id`` a FHIR ``Encounter/<id>`` reference,
    ``order_numbers`` OBR-2/3 (or the DiagnosticReport): the laboratory order a ward's results are
    filed under."""

    person: PersonRecord
    visit_number: str = ""
    order_numbers: tuple[str, ...] = ()
    observations: tuple[ObservationRecord, ...] = field(default=())
    patient_class: str = ""  # PV1-2 (HL7 table 0004)
    encounter_id: int | None = None
