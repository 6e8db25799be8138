"""Survey waves (调查批次): creation, the draw of invitees, the life cycle, and the do-not-contact list.

A wave applies a published instrument version to a population (``population.py``) with sampling
(``sampling.py``), timing rules (``timing.py``) and channels. :func:`wave_draw` evaluates the
population, excludes who may not be surveyed — counted per reason in ``Exclusion`` rows — samples the
rest reproducibly from the wave's seed, and creates one ``Invitation`` with a random token per invitee.
Drawing again never duplicates anyone: a census wave only adds people who entered the population since
(a rolling wave of this month's discharges), a sampled wave keeps the sample it drew.

The life cycle (draft → open ⇄ closed) goes through :func:`wave_transition` with a ``WaveTransition`` row.
A draft can be edited until its first draw; after that its population and rules are fixed, because the
invitees were chosen under them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.masking import mask_phone
from carebridge.core.models import Department, Hospital, Ward
from carebridge.core.services.audit import audit_record
from carebridge.core.validators import normalise_phone, validate_phone
from carebridge.patients.models import Patient
from carebridge.surveys.domain import sampling
from carebridge.surveys.choices import (
    WAVE_TRANSITIONS,
    Channel,
    ExclusionReason,
    InvitationStatus,
    PopulationKind,
    RespondentClass,
    SamplingMethod,
    VersionStatus,
    WaveStatus,
)
from carebridge.surveys.models import (
    DoNotContact,
    Exclusion,
    InstrumentVersion,
    Invitation,
    Stratum,
    Wave,
    WaveTransition,
)
from carebridge.surveys.selectors.population import (
    STRATIFY_BY,
    Candidate,
    load_screen,
    person_key,
    population,
    rules_for,
)
from carebridge.surveys.services.invitations import invitation_transition, new_token
from carebridge.surveys.domain.timing import first_send_time

_ENCOUNTER_POPULATIONS = frozenset(
    {PopulationKind.INPATIENTS_DISCHARGED, PopulationKind.OUTPATIENTS, PopulationKind.CHECKUP_CUSTOMERS}
)
_FILTER_KEYS: dict[str, frozenset[str]] = {
    PopulationKind.CHECKUP_CUSTOMERS: frozenset({"employer", "stratify_by"}),
    PopulationKind.CUSTOMERS: frozenset({"organisation", "stratify_by"}),
}
_MAX_SEED = 2**63 - 1
NO_STRATUM = "-"
_MAX_REMINDERS = 3


@dataclass(frozen=True)
class StratumSpec:
    """A stratum's target (invitations to draw) and quota (responses wanted), before the draw.

    ``key`` is a department code, or ``"<department code>/<ward code>"`` when stratifying by ward.
    """

    key: str
    target: int
    quota: int | None = None


@dataclass(frozen=True)
class WaveInput:
    """Everything a wave is made of; the defaults are DESIGN §5.4's."""

    name: str
    version: InstrumentVersion
    population: str
    respondent_class: str = RespondentClass.PATIENT
    departments: Sequence[Department] = ()
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    population_filter: Mapping[str, Any] = field(default_factory=dict)
    sampling: str = SamplingMethod.CENSUS
    sample_size: int | None = None
    seed: int = 20240101
    strata: Sequence[StratumSpec] = ()
    min_hours_after_discharge: int = 48
    max_days_after_discharge: int = 42
    quiet_start: dt.time = dt.time(21, 0)
    quiet_end: dt.time = dt.time(8, 0)
    min_days_between_surveys: int = 30
    channels: Sequence[str] = (Channel.SMS,)
    # None: anonymous for staff surveys (people speak more freely about their employer), named otherwise.
    anonymous: bool | None = None
    min_report_group: int = 5
    invitation_valid_days: int = 14
    reminder_days: Sequence[int] = ()
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None


def wave_input_from(wave: Wave) -> WaveInput:
    """The input that would recreate ``wave`` (for partial updates: ``dataclasses.replace`` it)."""
    return WaveInput(
        name=wave.name,
        version=wave.version,
        population=wave.population,
        respondent_class=wave.respondent_class,
        departments=list(wave.departments.all()),
        period_start=wave.period_start,
        period_end=wave.period_end,
        population_filter=dict(wave.population_filter or {}),
        sampling=wave.sampling,
        sample_size=wave.sample_size,
        seed=wave.seed,
        strata=[StratumSpec(s.key, s.target, s.quota) for s in wave.strata.all()],
        min_hours_after_discharge=wave.min_hours_after_discharge,
        max_days_after_discharge=wave.max_days_after_discharge,
        quiet_start=rules_for(wave).quiet_start,
        quiet_end=rules_for(wave).quiet_end,
        min_days_between_surveys=wave.min_days_between_surveys,
        channels=list(wave.channels or []),
        anonymous=wave.anonymous,
        min_report_group=wave.min_report_group,
        invitation_valid_days=wave.invitation_valid_days,
        reminder_days=list(wave.reminder_days or []),
        opens_at=wave.opens_at,
        closes_at=wave.closes_at,
    )


# --- Validation ---------------------------------------------------------------------------------------


def _check_population(data: WaveInput, hospital: Hospital, errors: dict[str, list[str]]) -> None:
    if data.population not in PopulationKind.values:
        errors["population"] = [_("Unknown population.")]
        return
    if data.respondent_class not in RespondentClass.values:
        errors["respondent_class"] = [_("Unknown respondent class.")]
    elif data.population in _ENCOUNTER_POPULATIONS and data.respondent_class != RespondentClass.PATIENT:
        errors["respondent_class"] = [_("Patients answer for their own visits and stays.")]
    elif data.population == PopulationKind.STAFF and data.respondent_class != RespondentClass.STAFF:
        errors["respondent_class"] = [_("A staff population answers as staff.")]
    elif data.population == PopulationKind.CUSTOMERS and data.respondent_class in (
        RespondentClass.PATIENT,
        RespondentClass.STAFF,
    ):
        errors["respondent_class"] = [
            _(
                "Choose a registered customer class (family, payer, community…); "
                "patients and staff have their own populations."
            )
        ]
    if any(d.hospital_id != hospital.pk for d in data.departments):
        errors["departments"] = [_("A department belongs to another hospital.")]
    if data.population in _ENCOUNTER_POPULATIONS:
        if data.period_start is None or data.period_end is None:
            errors["period_start"] = [_("Give the period whose visits or discharges are surveyed.")]
        elif data.period_start > data.period_end:
            errors["period_end"] = [_("The period ends before it starts.")]
    criteria = data.population_filter
    if not isinstance(criteria, Mapping):
        errors["population_filter"] = [_("Population conditions must be an object.")]
        return
    allowed = _FILTER_KEYS.get(data.population, frozenset({"stratify_by"}))
    unknown = sorted(set(criteria) - allowed)
    if unknown:
        errors["population_filter"] = [
            _("Conditions not understood for this population: %(keys)s.") % {"keys": ", ".join(unknown)}
        ]
    elif criteria.get("stratify_by", "department") not in STRATIFY_BY:
        errors["population_filter"] = [_("Strata are departments or wards.")]
    elif any(not isinstance(criteria.get(k, ""), str) for k in ("employer", "organisation")):
        errors["population_filter"] = [_("Employer and organisation are names (text).")]


def _check_sampling(data: WaveInput, errors: dict[str, list[str]]) -> None:
    if data.sampling not in SamplingMethod.values:
        errors["sampling"] = [_("Unknown sampling method.")]
        return
    if not 0 <= data.seed <= _MAX_SEED:
        errors["seed"] = [_("The seed is a whole number from 0 to 2⁶³−1.")]
    size_needed = data.sampling == SamplingMethod.SIMPLE_RANDOM or (
        data.sampling == SamplingMethod.STRATIFIED and not data.strata
    )
    if size_needed and not data.sample_size:
        errors["sample_size"] = [_("Give the number of people to invite.")]
    if data.strata and data.sampling != SamplingMethod.STRATIFIED:
        errors["strata"] = [_("Only a stratified sample has strata.")]
    keys = [s.key for s in data.strata]
    if len(set(keys)) != len(keys):
        errors["strata"] = [_("A stratum is listed twice.")]
    if any(s.target < 0 or (s.quota is not None and s.quota < 0) for s in data.strata):
        errors["strata"] = [_("Targets and quotas cannot be negative.")]


def _check_timing(data: WaveInput, errors: dict[str, list[str]]) -> None:
    if data.max_days_after_discharge < 1:
        errors["max_days_after_discharge"] = [_("Allow at least one day.")]
    elif data.min_hours_after_discharge >= data.max_days_after_discharge * 24:
        errors["max_days_after_discharge"] = [_("The latest send time must come after the earliest.")]
    channels = list(data.channels)
    if not channels:
        errors["channels"] = [_("Choose at least one channel.")]
    elif any(c not in Channel.values for c in channels) or len(set(channels)) != len(channels):
        errors["channels"] = [_("Unknown or repeated channel.")]
    if data.invitation_valid_days < 1:
        errors["invitation_valid_days"] = [_("An invitation is valid for at least one day.")]
    days = list(data.reminder_days)
    if len(days) > _MAX_REMINDERS:
        errors["reminder_days"] = [_("At most three reminders.")]
    elif any(not isinstance(d, int) or isinstance(d, bool) or d < 1 for d in days) or days != sorted(
        set(days)
    ):
        errors["reminder_days"] = [_("Reminders are whole days after the invitation, in increasing order.")]
    elif days and days[-1] >= data.invitation_valid_days:
        errors["reminder_days"] = [_("Every reminder must come before the invitation expires.")]
    if data.min_report_group < 1:
        errors["min_report_group"] = [_("The smallest group reported has at least one person.")]
    for name in ("opens_at", "closes_at"):
        value = getattr(data, name)
        if value is not None and timezone.is_naive(value):
            errors[name] = [_("The time must carry a time zone.")]
    if data.opens_at and data.closes_at and data.closes_at <= data.opens_at:
        errors["closes_at"] = [_("The wave closes before it opens.")]


def _clean(data: WaveInput, hospital: Hospital) -> None:
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Give the wave a name.")]
    version = data.version
    if version.status != VersionStatus.PUBLISHED:
        errors["version"] = [_("Only a published version can be used in a new wave.")]
    elif version.instrument.hospital_id not in (None, hospital.pk):
        errors["version"] = [_("The instrument belongs to another hospital.")]
    _check_population(data, hospital, errors)
    _check_sampling(data, errors)
    _check_timing(data, errors)
    if errors:
        raise ValidationError(errors)


def _anonymous(data: WaveInput) -> bool:
    if data.anonymous is None:
        return data.population == PopulationKind.STAFF
    return data.anonymous


def _apply(wave: Wave, data: WaveInput) -> None:
    for name in (
        "name",
        "version",
        "population",
        "respondent_class",
        "period_start",
        "period_end",
        "sampling",
        "seed",
        "min_hours_after_discharge",
        "max_days_after_discharge",
        "quiet_start",
        "quiet_end",
        "min_days_between_surveys",
        "min_report_group",
        "invitation_valid_days",
        "opens_at",
        "closes_at",
    ):
        setattr(wave, name, getattr(data, name))
    wave.name = data.name.strip()
    wave.population_filter = dict(data.population_filter)
    wave.sample_size = data.sample_size if data.sampling != SamplingMethod.CENSUS else None
    wave.channels = list(data.channels)
    wave.reminder_days = list(data.reminder_days)
    wave.anonymous = _anonymous(data)


def _stratum_options(wave: Wave) -> dict[str, tuple[str, Department | None]]:
    """Every stratum key the wave's population can have, with its label and department."""
    departments = list(wave.departments.all()) or list(
        Department.objects.filter(hospital=wave.hospital, is_active=True)
    )
    if (wave.population_filter or {}).get("stratify_by") == "ward":
        wards = Ward.objects.filter(department__in=departments).select_related("department")
        return {
            f"{w.department.code}/{w.code}": (f"{w.department.name} {w.name}", w.department) for w in wards
        }
    return {d.code: (d.name, d) for d in departments}


def _store_strata(wave: Wave, specs: Sequence[StratumSpec]) -> None:
    options = _stratum_options(wave)
    unknown = [s.key for s in specs if s.key not in options]
    if unknown:
        raise ValidationError(
            {"strata": [_("Unknown stratum: %(keys)s.") % {"keys": ", ".join(unknown[:5])}]}
        )
    wave.strata.all().delete()
    Stratum.objects.bulk_create(
        Stratum(
            wave=wave,
            key=s.key,
            label=options[s.key][0],
            department=options[s.key][1],
            target=s.target,
            quota=s.quota,
        )
        for s in specs
    )


def _is_drawn(wave: Wave) -> bool:
    return wave.invitations.exists() or wave.exclusions.exists()


# --- Create, update, delete ---------------------------------------------------------------------------


@transaction.atomic
def wave_create(*, hospital: Hospital, actor: Any, data: WaveInput) -> Wave:
    """Create a draft wave (the quality office's survey plan)."""
    _clean(data, hospital)
    wave = Wave(hospital=hospital, owner=actor, status=WaveStatus.DRAFT)
    _apply(wave, data)
    wave.save()
    wave.departments.set(data.departments)
    _store_strata(wave, data.strata)
    WaveTransition.objects.create(
        wave=wave, at=timezone.now(), actor=actor, from_status="", to_status=WaveStatus.DRAFT
    )
    audit_record(
        actor=actor,
        action="surveys.wave_create",
        obj=wave,
        summary=wave.name,
        changes={"population": wave.population, "sampling": wave.sampling, "version": wave.version_id},
    )
    return wave


@transaction.atomic
def wave_update(*, wave: Wave, actor: Any, data: WaveInput) -> Wave:
    """Change a draft that has not been drawn yet (afterwards its invitees depend on these settings)."""
    locked = Wave.objects.select_for_update().select_related("hospital").get(pk=wave.pk)
    if locked.status != WaveStatus.DRAFT:
        raise ValidationError({"status": [_("Only a draft wave can be changed.")]})
    if _is_drawn(locked):
        raise ValidationError(
            {"status": [_("The invitees have been drawn; the wave's population and rules are fixed.")]}
        )
    _clean(data, locked.hospital)
    before = {f.name: str(getattr(wave_input_from(locked), f.name)) for f in fields(WaveInput)}
    _apply(locked, data)
    locked.save()
    locked.departments.set(data.departments)
    _store_strata(locked, data.strata)
    after = {f.name: str(getattr(wave_input_from(locked), f.name)) for f in fields(WaveInput)}
    audit_record(
        actor=actor,
        action="surveys.wave_update",
        obj=locked,
        summary=locked.name,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return locked


@transaction.atomic
def wave_delete(*, wave: Wave, actor: Any) -> None:
    """Discard a draft that has not been drawn (nothing refers to it yet)."""
    locked = Wave.objects.select_for_update().get(pk=wave.pk)
    if locked.status != WaveStatus.DRAFT or _is_drawn(locked):
        raise ValidationError({"status": [_("Only an undrawn draft can be discarded.")]})
    pk, name = locked.pk, locked.name
    locked.delete()
    audit_record(
        actor=actor, action="surveys.wave_delete", object_type="surveys.wave", object_id=pk, summary=name
    )


# --- Life cycle ---------------------------------------------------------------------------------------


def _status_label(status: str) -> str:
    return str(WaveStatus(status).label) if status in WaveStatus.values else status


@transaction.atomic
def wave_transition(
    *, wave: Wave, to: str, actor: Any, reason: str = "", at: dt.datetime | None = None
) -> Wave:
    """Open, close or reopen a wave; refuses what ``WAVE_TRANSITIONS`` does not allow.

    Only an open wave sends invitations and accepts answers; reopening a closed wave needs a reason.
    ``actor`` is None for the scheduled opening and closing (``opens_at``/``closes_at``).
    """
    locked = Wave.objects.select_for_update().select_related("version").get(pk=wave.pk)
    current = locked.status
    if to not in WaveStatus.values:
        raise ValidationError({"to": [_("Unknown status: %(status)s.") % {"status": to}]})
    if to not in WAVE_TRANSITIONS.get(current, frozenset()):
        raise ValidationError(
            {
                "to": [
                    _("A wave that is “%(current)s” cannot be moved to “%(to)s”.")
                    % {"current": _status_label(current), "to": _status_label(to)}
                ]
            }
        )
    if to == WaveStatus.OPEN and locked.version.status == VersionStatus.DRAFT:
        raise ValidationError({"version": [_("The wave's instrument version is not published.")]})
    if current == WaveStatus.CLOSED and not reason.strip():
        raise ValidationError({"reason": [_("Say why the wave is reopened.")]})
    moment = at or timezone.now()
    locked.status = to
    locked.save(update_fields=["status"])
    WaveTransition.objects.create(
        wave=locked, at=moment, actor=actor, from_status=current, to_status=to, reason=reason.strip()[:255]
    )
    audit_record(
        actor=actor,
        action=f"surveys.wave_{to}",
        obj=locked,
        summary=f"{locked.name}: {_status_label(current)} → {_status_label(to)}",
        changes={"status": [current, to], "reason": reason.strip()[:200]},
    )
    wave.status = to
    return locked


def waves_open_close_due(*, now: dt.datetime | None = None) -> dict[str, list[int]]:
    """Open drafts whose ``opens_at`` has come and close open waves whose ``closes_at`` has passed."""
    now = now or timezone.now()
    opened, closed = [], []
    for wave in Wave.objects.filter(status=WaveStatus.DRAFT, opens_at__lte=now).exclude(closes_at__lte=now):
        opened.append(
            wave_transition(wave=wave, to=WaveStatus.OPEN, actor=None, reason=_("Scheduled"), at=now).pk
        )
    for wave in Wave.objects.filter(status=WaveStatus.OPEN, closes_at__lte=now):
        closed.append(
            wave_transition(wave=wave, to=WaveStatus.CLOSED, actor=None, reason=_("Scheduled"), at=now).pk
        )
    return {"opened": opened, "closed": closed}


# --- The draw -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrawResult:
    """What one draw did: invitations created, people excluded per reason, and whether it was a repeat."""

    invited: int
    excluded: dict[str, int]
    repeat: bool

    @property
    def considered(self) -> int:
        return self.invited + sum(self.excluded.values())


@dataclass
class _Eligible:
    candidate: Candidate
    send_after: dt.datetime
    channel: str
    stratum: str = ""


def _channel_for(candidate: Candidate, channels: Sequence[str]) -> str | None:
    """The first of the wave's channels that can reach the person (SMS and phone need a number)."""
    for channel in channels:
        if channel in (Channel.SMS, Channel.PHONE) and not candidate.mobile:
            continue
        return channel
    return None


def _stratum_key(candidate: Candidate, wave: Wave, codes: Mapping[int, str], wards: Mapping[int, str]) -> str:
    """A candidate's stratum: their department's code, or department/ward; ``"-"`` when they have none."""
    if (wave.population_filter or {}).get("stratify_by") == "ward":
        return wards.get(candidate.ward_id or 0, NO_STRATUM)
    return codes.get(candidate.department_id or 0, NO_STRATUM)


def _screen(
    wave: Wave, pool: Sequence[Candidate], now: dt.datetime
) -> tuple[list[_Eligible], list[tuple[Candidate, str]]]:
    """Split the pool into those who may be invited (with when and how) and those excluded (and why)."""
    rules = rules_for(wave)
    screen = load_screen(hospital=wave.hospital, candidates=pool, now=now, rules=rules)
    not_before = max(now, wave.opens_at) if wave.opens_at else now
    eligible: list[_Eligible] = []
    excluded: list[tuple[Candidate, str]] = []
    for candidate in pool:
        send_after = first_send_time(not_before=not_before, discharged_at=candidate.reference_at, rules=rules)
        reason = screen.refusal(candidate, planned=send_after or not_before)
        channel = _channel_for(candidate, wave.channels or [])
        if reason is None and send_after is None:
            reason = ExclusionReason.OUTSIDE_WINDOW
        if reason is None and channel is None:
            reason = ExclusionReason.NO_CONTACT_ROUTE
        if reason is not None:
            excluded.append((candidate, reason))
        else:
            assert send_after is not None and channel is not None  # noqa: S101 (narrowing)
            eligible.append(_Eligible(candidate, send_after, channel))
    return eligible, excluded


def _sample(wave: Wave, eligible: list[_Eligible]) -> tuple[list[_Eligible], dict[str, Stratum]]:
    """The invitees among the eligible, and the wave's strata by key (created here when not planned)."""
    if wave.sampling == SamplingMethod.CENSUS:
        return eligible, {}
    by_key = {e.candidate.person: e for e in eligible}
    if wave.sampling == SamplingMethod.SIMPLE_RANDOM:
        keys = sampling.simple_random(list(by_key), size=wave.sample_size or 0, seed=wave.seed)
        return [by_key[k] for k in keys], {}
    codes = dict(Department.objects.filter(hospital=wave.hospital).values_list("id", "code"))
    wards = {
        w.pk: f"{w.department.code}/{w.code}"
        for w in Ward.objects.filter(department__hospital=wave.hospital).select_related("department")
    }
    groups: dict[str, list[str]] = defaultdict(list)
    for item in eligible:
        item.stratum = _stratum_key(item.candidate, wave, codes, wards)
        groups[item.stratum].append(item.candidate.person)
    strata = {s.key: s for s in wave.strata.all()}
    if not strata:  # no plan: allocate the sample size in proportion to the strata's sizes
        options = _stratum_options(wave)
        targets = sampling.proportional_allocation(
            {key: len(members) for key, members in groups.items()}, total=wave.sample_size or 0
        )
        for key, target in sorted(targets.items()):
            label, department = options.get(key, (_("Without department"), None))
            strata[key] = Stratum.objects.create(
                wave=wave, key=key, label=label, department=department, target=target
            )
    drawn = sampling.stratified(groups, targets={k: s.target for k, s in strata.items()}, seed=wave.seed)
    chosen = {person for members in drawn.values() for person in members}
    return [e for e in eligible if e.candidate.person in chosen], strata


def _exclusion(wave: Wave, candidate: Candidate, reason: str) -> Exclusion:
    return Exclusion(
        wave=wave,
        patient_id=candidate.patient_id,
        staff_id=candidate.staff_id,
        customer_id=candidate.customer_id,
        reason=reason,
    )


@transaction.atomic
def wave_draw(*, wave: Wave, actor: Any, now: dt.datetime | None = None) -> DrawResult:
    """Draw the wave's invitees: evaluate the population, exclude, sample, create invitations.

    Idempotent: people already invited or excluded in this wave are never considered again; a sampled
    wave that has drawn keeps its sample (a repeat draw changes nothing).
    """
    now = now or timezone.now()
    locked = Wave.objects.select_for_update().select_related("hospital").get(pk=wave.pk)
    if locked.status == WaveStatus.CLOSED:
        raise ValidationError({"status": [_("A closed wave draws no more invitees.")]})
    if locked.population == PopulationKind.OPEN:
        raise ValidationError({"population": [_("An open-link wave has no list to draw from.")]})
    drawn_before = _is_drawn(locked)
    if drawn_before and locked.sampling != SamplingMethod.CENSUS:
        return DrawResult(invited=0, excluded={}, repeat=True)
    seen = {
        key
        for model in (Invitation, Exclusion)
        for key in _persons(
            model.objects.filter(wave=locked).values_list("patient_id", "staff_id", "customer_id")
        )
    }
    pool = [c for c in population(locked) if c.person not in seen]
    eligible, excluded = _screen(locked, pool, now)
    invitees, strata = _sample(locked, eligible)
    chosen = {e.candidate.person for e in invitees}
    excluded += [
        (e.candidate, ExclusionReason.NOT_SAMPLED) for e in eligible if e.candidate.person not in chosen
    ]
    Exclusion.objects.bulk_create(_exclusion(locked, c, reason) for c, reason in excluded)
    Invitation.objects.bulk_create(
        Invitation(
            wave=locked,
            token=new_token(),
            status=InvitationStatus.PENDING,
            channel=e.channel,
            patient_id=e.candidate.patient_id,
            encounter_id=e.candidate.encounter_id,
            staff_id=e.candidate.staff_id,
            customer_id=e.candidate.customer_id,
            department_id=e.candidate.department_id,
            ward_id=e.candidate.ward_id,
            stratum=strata.get(e.stratum),
            send_after=e.send_after,
            expires_at=e.send_after + dt.timedelta(days=locked.invitation_valid_days),
        )
        for e in invitees
    )
    counts = dict(Counter(str(reason) for _c, reason in excluded))
    audit_record(
        actor=actor,
        action="surveys.wave_draw",
        obj=locked,
        summary=f"{locked.name}: {len(invitees)}",
        changes={"invited": len(invitees), "excluded": counts, "repeat": drawn_before},
    )
    return DrawResult(invited=len(invitees), excluded=counts, repeat=drawn_before)


def _persons(rows: Any) -> set[str]:
    return {person_key(patient_id=p, staff_id=s, customer_id=c) for p, s, c in rows}


# --- Do-not-contact list ------------------------------------------------------------------------------


@transaction.atomic
def do_not_contact_add(
    *, hospital: Hospital, actor: Any, patient: Patient | None = None, phone: str = "", reason: str = ""
) -> DoNotContact:
    """Put a patient or a phone number on the do-not-contact list; their unsent invitations are withdrawn.

    Adding the same patient or number twice returns the existing entry.
    """
    number = normalise_phone(phone)
    errors: dict[str, list[str]] = {}
    if patient is None and not number:
        errors["phone"] = [_("Give a patient or a phone number.")]
    if patient is not None and patient.hospital_id != hospital.pk:
        errors["patient"] = [_("This patient belongs to another hospital.")]
    if number:
        try:
            validate_phone(number)
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    existing = DoNotContact.objects.filter(hospital=hospital, patient=patient, phone=number).first()
    if existing is not None:
        return existing
    entry = DoNotContact.objects.create(
        hospital=hospital, patient=patient, phone=number, reason=reason.strip()[:255], added_by=actor
    )
    pending = Invitation.objects.filter(wave__hospital=hospital, status=InvitationStatus.PENDING)
    affected = pending.none()
    if patient is not None:
        affected = affected | pending.filter(patient=patient)
    if number:
        affected = (
            affected
            | pending.filter(patient__phones__number=number)
            | pending.filter(staff__phone=number)
            | pending.filter(customer__phone=number)
        )
    note = str(ExclusionReason.DO_NOT_CONTACT.label)
    withdrawn = 0
    for invitation in affected.distinct():
        invitation_transition(invitation=invitation, to=InvitationStatus.WITHDRAWN, note=note)
        Exclusion.objects.create(
            wave_id=invitation.wave_id,
            patient_id=invitation.patient_id,
            staff_id=invitation.staff_id,
            customer_id=invitation.customer_id,
            reason=ExclusionReason.DO_NOT_CONTACT,
        )
        withdrawn += 1
    audit_record(
        actor=actor,
        action="surveys.do_not_contact_add",
        obj=entry,
        summary=(patient.mrn if patient else mask_phone(number)),
        changes={
            "phone": mask_phone(number),
            "patient": patient.pk if patient else None,
            "withdrawn": withdrawn,
        },
    )
    return entry
