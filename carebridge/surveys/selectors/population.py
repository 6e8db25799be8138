"""A wave's population and the checks every invitee passes, at draw time and again at send time.

Read-only: the services in ``services/waves.py`` (draw) and ``services/invitations.py`` (send) write.

Populations (``PopulationKind``):

* inpatients discharged in the period (the latest stay per patient), of the wave's departments;
* outpatients: outpatient and emergency visits (门急诊) in the period, the latest per patient;
* health-checkup customers in the period; ``population_filter["employer"]`` keeps those whose record
  has a registered customer of class *payer* (保险公司和病人单位) with that ``organisation`` linked to
  the patient — the registry's way of saying "employed by";
* active staff whose home department is one of the wave's departments (all staff when none is chosen);
* registered customers of the wave's respondent class (families, payers, community …), optionally of
  one ``population_filter["organisation"]``.

A person is invited at most once per wave; ``Candidate.person`` (``"patient:12"``) identifies them for
that, for the 30-day cap across waves, and for the do-not-contact list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce

from carebridge.core.models import Hospital, Staff
from carebridge.core.validators import normalise_phone
from carebridge.patients.choices import CustomerClass, EncounterKind
from carebridge.patients.models import Customer, Encounter, PatientPhone
from carebridge.surveys.choices import ExclusionReason, InvitationStatus, PopulationKind
from carebridge.surveys.domain.timing import TimingRules, too_soon_after
from carebridge.surveys.models import DoNotContact, Invitation, Wave

_MOBILE = re.compile(r"^1[3-9]\d{9}$")

ENCOUNTER_KINDS: dict[str, tuple[str, ...]] = {
    PopulationKind.INPATIENTS_DISCHARGED: (EncounterKind.INPATIENT,),
    PopulationKind.OUTPATIENTS: (EncounterKind.OUTPATIENT, EncounterKind.EMERGENCY),
    PopulationKind.CHECKUP_CUSTOMERS: (EncounterKind.CHECKUP,),
}
STRATIFY_BY = ("department", "ward")
# Up to this many people the checks ask about them by id; beyond, they load the hospital's lists.
_NARROW = 500


@dataclass(frozen=True)
class Candidate:
    """One person of the population, with what the draw and the checks need (never stored as such)."""

    person: str  # "patient:12", "staff:3", "customer:7": stable, zero-padded so it also sorts
    patient_id: int | None = None
    encounter_id: int | None = None
    staff_id: int | None = None
    customer_id: int | None = None
    department_id: int | None = None
    ward_id: int | None = None
    # The end of the encounter surveyed: the timing window counts from it (None: no window).
    reference_at: dt.datetime | None = None
    phones: tuple[str, ...] = ()  # every number known, for the do-not-contact check
    mobile: str = ""  # the number an SMS goes to
    survey_consent: bool = True
    deceased: bool = False


def person_key(*, patient_id: int | None, staff_id: int | None, customer_id: int | None) -> str:
    if patient_id is not None:
        return f"patient:{patient_id:012d}"
    if staff_id is not None:
        return f"staff:{staff_id:012d}"
    return f"customer:{customer_id or 0:012d}"


def rules_for(wave: Wave) -> TimingRules:
    """The wave's timing rules in its hospital's zone."""
    return TimingRules(
        min_hours_after_discharge=wave.min_hours_after_discharge,
        max_days_after_discharge=wave.max_days_after_discharge,
        quiet_start=_time(wave.quiet_start),
        quiet_end=_time(wave.quiet_end),
        min_days_between_surveys=wave.min_days_between_surveys,
        zone=wave.hospital.time_zone,
    )


def _time(value: dt.time | str) -> dt.time:
    # A freshly created wave still holds the model default "21:00" as a string until reloaded.
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(value)


def _mobile_of(numbers: Iterable[str]) -> str:
    return next((n for n in numbers if _MOBILE.match(n)), "")


def _period_bounds(wave: Wave, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime] | None:
    if wave.period_start is None or wave.period_end is None:
        return None
    start = dt.datetime.combine(wave.period_start, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(wave.period_end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return start, end


def _phones_prefetch() -> Prefetch:
    return Prefetch("patient__phones", queryset=PatientPhone.objects.order_by("-is_primary", "id"))


def _encounter_candidates(wave: Wave, department_ids: Sequence[int]) -> list[Candidate]:
    bounds = _period_bounds(wave, rules_for(wave).tz)
    if bounds is None:
        return []
    kinds = ENCOUNTER_KINDS[wave.population]
    # Inpatients by discharge, visits by their start; the latest encounter of each patient is surveyed.
    moment = "ended_at" if wave.population == PopulationKind.INPATIENTS_DISCHARGED else "started_at"
    encounters = Encounter.objects.filter(
        hospital=wave.hospital,
        kind__in=kinds,
        patient__merged_into__isnull=True,
        **{f"{moment}__gte": bounds[0], f"{moment}__lt": bounds[1]},
    )
    if department_ids:
        encounters = encounters.filter(department_id__in=department_ids)
    employer = (wave.population_filter or {}).get("employer")
    if employer and wave.population == PopulationKind.CHECKUP_CUSTOMERS:
        payers = Customer.objects.filter(
            hospital=wave.hospital, customer_class=CustomerClass.PAYER, organisation=employer
        ).values("patient_id")
        encounters = encounters.filter(patient_id__in=payers)
    latest: dict[int, Encounter] = {}
    rows = encounters.select_related("patient").prefetch_related(_phones_prefetch())
    for encounter in rows.order_by("patient_id", f"-{moment}", "-id"):
        latest.setdefault(encounter.patient_id, encounter)
    candidates = []
    for encounter in latest.values():
        patient = encounter.patient
        phones = [normalise_phone(p.number) for p in patient.phones.all()]
        candidates.append(
            Candidate(
                person=person_key(patient_id=patient.pk, staff_id=None, customer_id=None),
                patient_id=patient.pk,
                encounter_id=encounter.pk,
                department_id=encounter.department_id,
                ward_id=encounter.ward_id,
                reference_at=encounter.ended_at or encounter.started_at,
                phones=tuple(phones),
                mobile=_mobile_of(phones),
                survey_consent=patient.survey_consent,
                deceased=patient.deceased_at is not None,
            )
        )
    return candidates


def _staff_candidates(wave: Wave, department_ids: Sequence[int]) -> list[Candidate]:
    staff: QuerySet[Staff] = Staff.objects.filter(hospital=wave.hospital, is_active=True)
    if department_ids:
        staff = staff.filter(home_department_id__in=department_ids)
    return [
        _staff_candidate(member.pk, member.home_department_id, member.phone)
        for member in staff.only("id", "home_department_id", "phone")
    ]


def _staff_candidate(pk: int, department_id: int | None, phone: str) -> Candidate:
    number = normalise_phone(phone)
    return Candidate(
        person=person_key(patient_id=None, staff_id=pk, customer_id=None),
        staff_id=pk,
        department_id=department_id,
        phones=(number,) if number else (),
        mobile=_mobile_of([number]),
    )


def _customer_candidates(wave: Wave) -> list[Candidate]:
    customers = Customer.objects.filter(hospital=wave.hospital, customer_class=wave.respondent_class)
    organisation = (wave.population_filter or {}).get("organisation")
    if organisation:
        customers = customers.filter(organisation=organisation)
    return [_customer_candidate(c.pk, c.phone) for c in customers.only("id", "phone")]


def _customer_candidate(pk: int, phone: str) -> Candidate:
    number = normalise_phone(phone)
    return Candidate(
        person=person_key(patient_id=None, staff_id=None, customer_id=pk),
        customer_id=pk,
        phones=(number,) if number else (),
        mobile=_mobile_of([number]),
    )


def population(wave: Wave) -> list[Candidate]:
    """Everyone the wave's population definition covers, one candidate per person, in person order."""
    department_ids = list(wave.departments.values_list("id", flat=True))
    if wave.population in ENCOUNTER_KINDS:
        found = _encounter_candidates(wave, department_ids)
    elif wave.population == PopulationKind.STAFF:
        found = _staff_candidates(wave, department_ids)
    elif wave.population == PopulationKind.CUSTOMERS:
        found = _customer_candidates(wave)
    else:  # an open-link wave has no list
        found = []
    return sorted(found, key=lambda c: c.person)


def candidate_for(invitation: Invitation) -> Candidate:
    """The invitee as they are now (consent, phones, death may have changed since the draw)."""
    if invitation.patient_id is not None:
        patient = invitation.patient
        assert patient is not None  # noqa: S101 (narrowing for the type checker)
        numbers = [
            normalise_phone(n)
            for n in patient.phones.order_by("-is_primary", "id").values_list("number", flat=True)
        ]
        encounter = invitation.encounter
        return Candidate(
            person=person_key(patient_id=patient.pk, staff_id=None, customer_id=None),
            patient_id=patient.pk,
            encounter_id=invitation.encounter_id,
            department_id=invitation.department_id,
            ward_id=invitation.ward_id,
            reference_at=(encounter.ended_at or encounter.started_at) if encounter else None,
            phones=tuple(numbers),
            mobile=_mobile_of(numbers),
            survey_consent=patient.survey_consent,
            deceased=patient.deceased_at is not None,
        )
    if invitation.staff_id is not None:
        staff = invitation.staff
        assert staff is not None  # noqa: S101
        return _staff_candidate(staff.pk, invitation.department_id, staff.phone if staff.is_active else "")
    customer = invitation.customer
    assert customer is not None  # noqa: S101
    return _customer_candidate(customer.pk, customer.phone)


@dataclass
class Screen:
    """What the checks need about a set of people, loaded in a few queries."""

    rules: TimingRules
    dnc_patients: set[int] = field(default_factory=set)
    dnc_phones: set[str] = field(default_factory=set)
    in_treatment: set[int] = field(default_factory=set)
    # person → times of their other surveys (sent, or planned when not yet sent)
    surveyed: dict[str, list[dt.datetime]] = field(default_factory=lambda: defaultdict(list))

    def refusal(self, candidate: Candidate, *, planned: dt.datetime) -> str | None:
        """The first reason (in ``ExclusionReason`` order) not to survey the person at ``planned``."""
        if candidate.patient_id is not None and not candidate.survey_consent:
            return ExclusionReason.NO_SURVEY_CONSENT
        if candidate.deceased:
            return ExclusionReason.DECEASED
        if candidate.patient_id in self.dnc_patients or self.dnc_phones.intersection(candidate.phones):
            return ExclusionReason.DO_NOT_CONTACT
        if any(
            too_soon_after(other=other, at=planned, rules=self.rules)
            for other in self.surveyed.get(candidate.person, ())
        ):
            return ExclusionReason.RECENTLY_SURVEYED
        if candidate.patient_id in self.in_treatment:
            return ExclusionReason.IN_TREATMENT
        return None


def load_screen(
    *,
    hospital: Hospital,
    candidates: Sequence[Candidate],
    now: dt.datetime,
    rules: TimingRules,
    sent_only: bool = False,
    ignore_invitation: int | None = None,
) -> Screen:
    """Load the do-not-contact list, open stays and earlier surveys of ``candidates``.

    At draw time a planned invitation counts as a survey (``sent_only=False``); at send time only what
    was actually sent does, and the invitation being sent is ignored.
    """
    screen = Screen(rules=rules)
    patient_ids = {c.patient_id for c in candidates if c.patient_id is not None}
    staff_ids = {c.staff_id for c in candidates if c.staff_id is not None}
    customer_ids = {c.customer_id for c in candidates if c.customer_id is not None}
    phones = {p for c in candidates for p in c.phones}
    # A few people (sending): ask about them. A whole population (drawing): load the hospital's lists
    # rather than send tens of thousands of ids in one IN clause.
    narrow = len(candidates) <= _NARROW
    dnc = DoNotContact.objects.filter(hospital=hospital)
    if narrow:
        dnc = dnc.filter(Q(patient_id__in=patient_ids) | Q(phone__in=phones))
    for patient_id, phone in dnc.values_list("patient_id", "phone"):
        if patient_id is not None:
            screen.dnc_patients.add(patient_id)
        if phone:
            screen.dnc_phones.add(normalise_phone(phone))
    open_stays = Encounter.objects.filter(
        hospital=hospital, kind=EncounterKind.INPATIENT, started_at__lte=now, ended_at__isnull=True
    )
    if narrow:
        open_stays = open_stays.filter(patient_id__in=patient_ids)
    screen.in_treatment = set(open_stays.values_list("patient_id", flat=True))
    span = dt.timedelta(days=rules.min_days_between_surveys)
    earlier = (
        Invitation.objects.filter(wave__hospital=hospital)
        .exclude(status=InvitationStatus.WITHDRAWN)
        .annotate(moment=Coalesce("sent_at", "send_after"))
        .filter(moment__gt=now - span)
    )
    if narrow:
        earlier = earlier.filter(
            Q(patient_id__in=patient_ids) | Q(staff_id__in=staff_ids) | Q(customer_id__in=customer_ids)
        )
    if sent_only:
        earlier = earlier.filter(sent_at__isnull=False)
    if ignore_invitation is not None:
        earlier = earlier.exclude(pk=ignore_invitation)
    for patient_id, staff_id, customer_id, moment in earlier.values_list(
        "patient_id", "staff_id", "customer_id", "moment"
    ):
        key = person_key(patient_id=patient_id, staff_id=staff_id, customer_id=customer_id)
        screen.surveyed[key].append(moment)
    return screen
