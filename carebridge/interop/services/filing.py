"""Filing what a message says (``domain.records``) through the owning apps' services: the registry's
patients and encounters, follow-up's admission and discharge (so a discharge by message opens the same
follow-up as a discharge on the ward's page), and the checkup centre's ``result_record`` (which
announces each result inside the transaction, where critical-result rules act on it).

Every function runs inside the caller's transaction and raises :class:`IntakeError` for anything the
sender must fix; nothing here writes a row itself.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.checkup.choices import RESULT_STATUSES, ResultSource, VisitKind
from carebridge.checkup.models import Item, OrderedItem, Visit
from carebridge.checkup.services.clinical import clinical_holder, clinical_order
from carebridge.checkup.services.results import result_record
from carebridge.core.choices import StaffKind
from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.core.types import Actor
from carebridge.followup.choices import PlanStatus
from carebridge.followup.models import CarePlan
from carebridge.followup.services.admission import care_plan_follow_transfer
from carebridge.followup.services.discharge import stay_discharge
from carebridge.followup.services.plans import care_plan_open
from carebridge.followup.services.transitions import plan_move
from carebridge.interop.domain.records import (
    AdtRecord,
    IntakeError,
    ObservationRecord,
    PersonRecord,
    ResultRecord,
    StayRecord,
)
from carebridge.interop.models import CodeMapping
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter, Patient
from carebridge.patients.services.encounters import (
    DiagnosisInput,
    encounter_create,
    encounter_discharge,
    encounter_transfer,
)
from carebridge.patients.services.merges import patient_merge
from carebridge.patients.services.patients import PhoneInput, patient_create, patient_update

LOINC_SYSTEMS = frozenset({"LN", "LOINC", "http://loinc.org"})
LOCAL_ITEM_SYSTEMS = frozenset({"", "L", "99LOCAL", "urn:carebridge:item"})
_KINDS = {"I": EncounterKind.INPATIENT, "O": EncounterKind.OUTPATIENT, "E": EncounterKind.EMERGENCY}


class Effect(TypedDict):
    """One row a message created or changed, for the inbound log."""

    model: str
    id: int
    action: str


def effect(obj: Any, action: str) -> Effect:
    return {"model": obj._meta.label_lower, "id": int(obj.pk), "action": action}


def _refused(error: ValidationError | PermissionDenied, location: str) -> IntakeError:
    if isinstance(error, PermissionDenied):
        return IntakeError(str(error), code="207", location=location)
    texts = (
        [str(m) for messages in error.message_dict.values() for m in messages]
        if hasattr(error, "error_dict")
        else [str(m) for m in error.messages]
    )
    return IntakeError(" ".join(texts), code="207", location=location)


# --- patients and stays ----------------------------------------------------------------------------


def patient_find(hospital: Hospital, mrn: str, *, location: str = "PID^1^3") -> Patient:
    patient = Patient.objects.filter(hospital=hospital, mrn=mrn).first()
    if patient is None:
        raise IntakeError(
            _("Unknown patient: no record with medical record number %(mrn)s.") % {"mrn": mrn},
            code="204",
            location=location,
        )
    if patient.merged_into_id is not None:
        return Patient.objects.get(pk=patient.merged_into_id)
    return patient


def _values(person: PersonRecord) -> dict[str, Any]:
    values: dict[str, Any] = {"mrn": person.mrn}
    for field in ("name", "sex", "birth_date", "national_id", "address"):
        value = getattr(person, field)
        if value:
            values[field] = value
    return values


def patient_upsert(
    *, hospital: Hospital, person: PersonRecord, actor: Actor, effects: list[Effect]
) -> Patient:
    """The patient of ``person.mrn``, registered if new; demographics the message carries are updated."""
    phones = [PhoneInput(number=person.phone)] if person.phone else []
    existing = Patient.objects.filter(hospital=hospital, mrn=person.mrn).first()
    try:
        if existing is None:
            if not person.name:
                raise IntakeError(_("A new patient needs a name (PID-5)."), code="101", location="PID^1^5")
            patient = patient_create(hospital=hospital, actor=actor, values=_values(person), phones=phones)
            effects.append(effect(patient, "created"))
            return patient
        before = existing.updated_at
        patient = patient_update(patient=existing, actor=actor, values=_values(person), phones=phones or None)
        if patient.updated_at != before:
            effects.append(effect(patient, "updated"))
        return patient
    except (ValidationError, PermissionDenied) as error:
        raise _refused(error, "PID") from None


def _place(hospital: Hospital, stay: StayRecord) -> tuple[Department, Ward | None]:
    ward = None
    if stay.ward_code:
        wards = Ward.objects.filter(department__hospital=hospital, code=stay.ward_code).select_related(
            "department"
        )
        if stay.department_code:
            wards = wards.filter(department__code=stay.department_code)
        ward = wards.first()
        if ward is None:
            raise IntakeError(
                _("Unknown ward %(code)s (PV1-3).") % {"code": stay.ward_code}, code="103", location="PV1^1^3"
            )
    if stay.department_code:
        department = Department.objects.filter(hospital=hospital, code=stay.department_code).first()
        if department is None:
            raise IntakeError(
                _("Unknown department %(code)s (PV1-10).") % {"code": stay.department_code},
                code="103",
                location="PV1^1^10",
            )
        return department, ward
    if ward is not None:
        return ward.department, ward
    raise IntakeError(_("The visit names no department (PV1-10)."), code="101", location="PV1^1^10")


def attending_for(hospital: Hospital, department: Department, name: str) -> Staff | None:
    """The doctor PV1-7 names: an active doctor of the hospital of exactly that name, preferring the
    stay's department; ``None`` when nobody or several match (the stay is admitted without one rather
    than under a guessed doctor)."""
    if not name:
        return None
    doctors = Staff.objects.filter(hospital=hospital, name=name, kind=StaffKind.DOCTOR, is_active=True)
    for candidates in (doctors.filter(home_department=department), doctors):
        found = list(candidates.order_by("id")[:2])
        if len(found) == 1:
            return found[0]
        if found:
            return None
    return None


def stay_key(source: str, visit_number: str) -> str:
    return f"hl7:{source}:visit:{visit_number}"[:128]


def stay_find(*, source: str, stay: StayRecord | None, patient: Patient) -> Encounter:
    if stay is None or not stay.visit_number:
        raise IntakeError(_("The visit number (PV1-19) is empty."), code="101", location="PV1^1^19")
    encounter = Encounter.objects.filter(source_key=stay_key(source, stay.visit_number)).first()
    if encounter is None or encounter.patient_id != patient.pk:
        raise IntakeError(
            _("Unknown visit %(number)s for this patient (PV1-19).") % {"number": stay.visit_number},
            code="204",
            location="PV1^1^19",
        )
    return encounter


def _when(*candidates: dt.datetime | None) -> dt.datetime:
    return next((c for c in candidates if c is not None), timezone.now())


def _admit(hospital: Hospital, source: str, record: AdtRecord, actor: Actor, effects: list[Effect]) -> None:
    """A01 (admit: an inpatient stay and its care plan) or A04 (register an outpatient or emergency visit)."""
    stay = record.stay
    patient = patient_upsert(hospital=hospital, person=record.person, actor=actor, effects=effects)
    if stay is None or not stay.visit_number:
        raise IntakeError(_("The visit number (PV1-19) is empty."), code="101", location="PV1^1^19")
    kind = (
        EncounterKind.INPATIENT
        if record.event == "A01"
        else _KINDS.get(stay.patient_class, EncounterKind.OUTPATIENT)
    )
    department, ward = _place(hospital, stay)
    key = stay_key(source, stay.visit_number)
    known = Encounter.objects.filter(source_key=key).exists()
    encounter = encounter_create(
        patient=patient,
        actor=actor,
        kind=kind,
        department=department,
        ward=ward,
        attending_doctor=attending_for(hospital, department, stay.attending_doctor),
        started_at=_when(stay.started_at, record.event_at),
        diagnoses=[DiagnosisInput(code, name, i == 0) for i, (code, name) in enumerate(stay.diagnoses)],
        source_key=key,
    )
    if not known:
        effects.append(effect(encounter, "created"))
    if kind == EncounterKind.INPATIENT:
        # Opened here rather than only by follow-up's after-commit hook: the ACK covers it.
        plan = care_plan_open(encounter=encounter, actor=actor)
        if not known:
            effects.append(effect(plan, "created"))


def _update(hospital: Hospital, source: str, record: AdtRecord, actor: Actor, effects: list[Effect]) -> None:
    """A08: the patient's demographics."""
    patient_find(hospital, record.person.mrn)
    patient_upsert(hospital=hospital, person=record.person, actor=actor, effects=effects)


def _cancelled(encounter: Encounter) -> bool:
    return CarePlan.objects.filter(
        encounter=encounter, status=PlanStatus.CLOSED, discharged_at__isnull=True
    ).exists()


def _transfer(
    hospital: Hospital, source: str, record: AdtRecord, actor: Actor, effects: list[Effect]
) -> None:
    """A02: the stay moves to another department or ward, and its care plan with it (so the discharge
    follow-up is the receiving ward's). Refused for a stay already ended or an admission cancelled."""
    patient = patient_find(hospital, record.person.mrn)
    encounter = stay_find(source=source, stay=record.stay, patient=patient)
    assert record.stay is not None  # noqa: S101 - stay_find refused a missing PV1
    if encounter.ended_at is not None:
        raise IntakeError(
            _("The stay has already ended; it cannot be transferred."), code="207", location="PV1^1^19"
        )
    if _cancelled(encounter):
        raise IntakeError(
            _("The admission was cancelled (A11); it cannot be transferred."), code="207", location="PV1^1^19"
        )
    department, ward = _place(hospital, record.stay)
    encounter_transfer(encounter=encounter, department=department, ward=ward, actor=actor)
    effects.append(effect(encounter, "transferred"))
    plan = care_plan_follow_transfer(encounter=encounter, actor=actor)
    if plan is not None and plan.status == PlanStatus.IN_STAY:
        effects.append(effect(plan, "transferred"))


def _discharge(
    hospital: Hospital, source: str, record: AdtRecord, actor: Actor, effects: list[Effect]
) -> None:
    """A03: what the ward's discharge does — the stay's end, the follow-up tier and calls."""
    patient = patient_find(hospital, record.person.mrn)
    encounter = stay_find(source=source, stay=record.stay, patient=patient)
    ended_at = _when(record.stay.ended_at if record.stay else None, record.event_at)
    if encounter.kind == EncounterKind.INPATIENT:
        plan = stay_discharge(encounter=encounter, ended_at=ended_at, actor=actor)
        effects += [effect(encounter, "discharged"), effect(plan, "discharged")]
    else:
        encounter_discharge(encounter=encounter, ended_at=ended_at, actor=actor)
        effects.append(effect(encounter, "ended"))


def _cancel(hospital: Hospital, source: str, record: AdtRecord, actor: Actor, effects: list[Effect]) -> None:
    """A11: an admission entered in error — its care plan is closed (the stay row stays, for the audit)."""
    patient = patient_find(hospital, record.person.mrn)
    encounter = stay_find(source=source, stay=record.stay, patient=patient)
    plan = CarePlan.objects.filter(encounter=encounter).first()
    if plan is None:
        return
    if plan.status == PlanStatus.CLOSED and plan.discharged_at is None:
        return  # cancelled already (the HIS sent the cancellation again under a new control id)
    if plan.status != PlanStatus.IN_STAY or encounter.ended_at is not None:
        raise IntakeError(
            _("The stay was already discharged; an admission cannot be cancelled after it."),
            code="207",
            location="PV1^1^19",
        )
    plan_move(
        plan=plan,
        to=PlanStatus.CLOSED,
        actor=actor,
        at=_when(record.event_at),
        reason=_("Admission cancelled by the HIS (ADT^A11)."),
    )
    effects.append(effect(plan, "closed"))


def _merge(hospital: Hospital, source: str, record: AdtRecord, actor: Actor, effects: list[Effect]) -> None:
    """A40: the record of MRG-1 is merged into the record of PID-3 (the registry's merge, undoable)."""
    if not record.prior_mrn:
        raise IntakeError(_("MRG-1 (prior identifier) is empty."), code="101", location="MRG^1^1")
    survivor = patient_find(hospital, record.person.mrn)
    duplicate = patient_find(hospital, record.prior_mrn, location="MRG^1^1")
    if duplicate.pk != survivor.pk:
        merge = patient_merge(
            survivor=survivor, duplicate=duplicate, actor=actor, reason=_("Merged by the HIS (ADT^A40).")
        )
        effects.append(effect(merge, "created"))


_ADT = {
    "A01": _admit,
    "A04": _admit,
    "A08": _update,
    "A02": _transfer,
    "A03": _discharge,
    "A11": _cancel,
    "A40": _merge,
}


def adt_file(*, hospital: Hospital, source: str, record: AdtRecord, actor: Actor) -> list[Effect]:
    """Admit, register, transfer, discharge, update, cancel or merge, as ``record.event`` says."""
    effects: list[Effect] = []
    try:
        _ADT[record.event](hospital, source, record, actor, effects)
    except (ValidationError, PermissionDenied) as error:
        raise _refused(error, "PV1") from None
    return effects


# --- results ---------------------------------------------------------------------------------------


def item_for(hospital: Hospital, observation: ObservationRecord) -> Item:
    """The catalogue item a code stands for: a mapping first, then LOINC or the local code."""
    location = f"{observation.location}^3"
    mapping = (
        CodeMapping.objects.filter(hospital=hospital, system=observation.system, code=observation.code)
        .select_related("item")
        .first()
    )
    if mapping is not None:
        return mapping.item
    items = Item.objects.filter(hospital=hospital, is_active=True)
    found = None
    if observation.system in LOINC_SYSTEMS:
        found = items.filter(loinc=observation.code).first()
    elif observation.system in LOCAL_ITEM_SYSTEMS:
        found = items.filter(code=observation.code).first()
    if found is None:
        raise IntakeError(
            _("Unknown item code %(system)s|%(code)s (%(name)s): add a code mapping.")
            % {
                "system": observation.system or "-",
                "code": observation.code,
                "name": observation.display or "?",
            },
            code="103",
            location=location,
        )
    return found


def encounter_for(
    hospital: Hospital, patient: Patient, source: str, record: ResultRecord
) -> Encounter | None:
    """The registry's encounter the results name: ``Encounter/<id>`` (FHIR), else PV1-19 as the visit
    number an ADT message registered — from this sender first, then from any (the HIS admits, the LIS
    reports: two sending facilities, one visit number)."""
    encounters = Encounter.objects.filter(hospital=hospital, patient=patient)
    if record.encounter_id is not None:
        found = encounters.filter(pk=record.encounter_id).first()
        if found is None:
            raise IntakeError(
                _("Unknown encounter: Encounter/%(id)s.") % {"id": record.encounter_id},
                code="204",
                location="PV1^1^19",
            )
        return found
    if not record.visit_number:
        return None
    same = encounters.filter(source_key=stay_key(source, record.visit_number)).first()
    if same is not None:
        return same
    suffix = f":visit:{record.visit_number}"
    return encounters.filter(source_key__endswith=suffix).order_by("-started_at", "-id").first()


# PV1-2 patient classes that are never a checkup: an unknown visit number of theirs is an error, not a
# reason to look for the person's open checkup visit.
_CLINICAL_CLASSES = frozenset({"I", "E"})


def visit_for(
    hospital: Hospital,
    patient: Patient,
    record: ResultRecord,
    *,
    source: str,
    actor: Actor,
    fallback_order: str = "",
) -> Visit:
    """Where the results belong: the checkup visit of that number (PV1-19 or OBR-2/3); else the encounter
    of that number (an inpatient's or outpatient's: the results holder of its laboratory order, see
    ``checkup.services.clinical``); else the patient's one checkup visit open for results."""
    numbers = [n for n in (record.visit_number, *record.order_numbers) if n]
    visits = Visit.objects.filter(hospital=hospital, patient=patient)
    if numbers and record.encounter_id is None:
        visit = visits.filter(Q(number__in=numbers)).first()
        if visit is not None:
            return visit
    encounter = encounter_for(hospital, patient, source, record)
    if encounter is not None and encounter.kind != EncounterKind.CHECKUP:
        # The laboratory order (OBR-2/3, the DiagnosticReport); a report without one is its own order.
        order_number = next(iter(record.order_numbers), "") or fallback_order
        try:
            return clinical_holder(encounter=encounter, order_number=order_number, actor=actor)
        except (ValidationError, PermissionDenied) as error:
            raise _refused(error, "PV1^1^19") from None
    if encounter is not None:
        checkup = visits.filter(encounter=encounter).first()
        if checkup is not None:
            return checkup
    if record.visit_number and record.patient_class in _CLINICAL_CLASSES:
        raise IntakeError(
            _("Unknown encounter %(number)s for this patient (PV1-19): admit or register it first.")
            % {"number": record.visit_number},
            code="204",
            location="PV1^1^19",
        )
    open_visits = list(visits.filter(status__in=RESULT_STATUSES).order_by("-scheduled_for", "-id")[:2])
    if len(open_visits) == 1:
        return open_visits[0]
    raise IntakeError(
        _("No checkup visit or encounter of this patient is open for results (PV1-19 or OBR-2: %(numbers)s).")
        % {"numbers": ", ".join(numbers) or "-"},
        code="204",
        location="PV1^1^19",
    )


def _items_for(hospital: Hospital, observations: list[ObservationRecord]) -> list[Item]:
    """The catalogue item of every observation, read in three queries for the whole message (mappings,
    local codes, LOINC) rather than two per OBX; the first unknown code is refused as ``item_for`` does."""
    keys = {(o.system, o.code) for o in observations}
    mapped = {
        (m.system, m.code): m.item
        for m in CodeMapping.objects.filter(
            hospital=hospital, code__in={code for _system, code in keys}
        ).select_related("item")
        if (m.system, m.code) in keys
    }
    items = Item.objects.filter(hospital=hospital, is_active=True)
    local_codes = {o.code for o in observations if o.system in LOCAL_ITEM_SYSTEMS}
    loinc_codes = {o.code for o in observations if o.system in LOINC_SYSTEMS}
    by_code = {i.code: i for i in items.filter(code__in=local_codes).order_by("id")} if local_codes else {}
    by_loinc: dict[str, Item] = {}
    for found in items.filter(loinc__in=loinc_codes).order_by("-id") if loinc_codes else ():
        by_loinc[found.loinc] = found  # the lowest id wins, as ``.first()`` did
    chosen = []
    for observation in observations:
        item = mapped.get((observation.system, observation.code))
        if item is None and observation.system in LOINC_SYSTEMS:
            item = by_loinc.get(observation.code)
        elif item is None and observation.system in LOCAL_ITEM_SYSTEMS:
            item = by_code.get(observation.code)
        chosen.append(item if item is not None else item_for(hospital, observation))  # refuses
    return chosen


def results_file(
    *, hospital: Hospital, source: str, control_id: str, record: ResultRecord, actor: Actor, channel: str
) -> list[Effect]:
    """File every observation through the centre's ``result_record``; one refused, none filed. The
    items and the visit's orders (with their results) are read once for the whole message."""
    patient = patient_find(hospital, record.person.mrn)
    visit = visit_for(
        hospital, patient, record, source=source, actor=actor, fallback_order=f"{channel}:{control_id}"
    )
    observations = list(record.observations)
    items = _items_for(hospital, observations)
    orders = {
        order.item_id: order
        for order in OrderedItem.objects.filter(visit=visit).select_related("result").order_by("id")
    }
    clinical = visit.kind == VisitKind.CLINICAL
    effects: list[Effect] = []
    for observation, item in zip(observations, items, strict=True):
        order = orders.get(item.pk)
        if order is None and clinical:
            # The ward's order was placed in the HIS: it is written with its first result.
            order = orders[item.pk] = clinical_order(holder=visit, item=item)
        if order is None:
            raise IntakeError(
                _("%(item)s was not ordered for visit %(visit)s.")
                % {"item": item.name, "visit": visit.number},
                code="204",
                location=f"{observation.location}^3",
            )
        try:
            result = result_record(
                order=order,
                value=observation.value,
                unit=observation.unit,
                actor=actor,
                at=observation.observed_at,
                source={"fhir": ResultSource.FHIR, "csv": ResultSource.CSV}.get(channel, ResultSource.HL7),
                source_key=f"{channel}:{source}:{control_id}:{observation.key}"[:128],
                correction_reason=(
                    _("Corrected by the laboratory (%(source)s).") % {"source": source}
                    if observation.status == "C" or hasattr(order, "result")
                    else ""
                ),
            )
        except (ValidationError, PermissionDenied) as error:
            raise _refused(error, f"{observation.location}^5") from None
        effects.append(effect(result, "recorded"))
    return effects
