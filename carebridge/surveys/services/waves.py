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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital, Ward
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import Lifecycle, transition_apply, transition_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.surveys.choices import (
    WAVE_TRANSITIONS,
    Channel,
    PopulationKind,
    RespondentClass,
    SamplingMethod,
    VersionStatus,
    WaveStatus,
)
from carebridge.surveys.models import (
    InstrumentVersion,
    Stratum,
    Wave,
    WaveTransition,
)
from carebridge.surveys.selectors.population import (
    STRATIFY_BY,
    rules_for,
)

WAVE_LIFECYCLE: Lifecycle[Wave] = Lifecycle(
    record=WaveTransition, subject="wave", moves=WAVE_TRANSITIONS, choices=WaveStatus
)

# A wave's timing settings stay within what date arithmetic can hold (a validity of two billion days
# was accepted once, and every draw and send of the hospital's waves then failed on it).
MAX_VALID_DAYS = 365
MAX_WINDOW_DAYS = 3650
MAX_WINDOW_HOURS = MAX_WINDOW_DAYS * 24

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
    at_most = _("At most %(days)s days.") % {"days": MAX_WINDOW_DAYS}
    if data.max_days_after_discharge < 1:
        errors["max_days_after_discharge"] = [_("Allow at least one day.")]
    elif data.max_days_after_discharge > MAX_WINDOW_DAYS:
        errors["max_days_after_discharge"] = [at_most]
    elif data.min_hours_after_discharge >= data.max_days_after_discharge * 24:
        errors["max_days_after_discharge"] = [_("The latest send time must come after the earliest.")]
    channels = list(data.channels)
    if not channels:
        errors["channels"] = [_("Choose at least one channel.")]
    elif any(c not in Channel.values for c in channels) or len(set(channels)) != len(channels):
        errors["channels"] = [_("Unknown or repeated channel.")]
    if data.min_days_between_surveys > MAX_WINDOW_DAYS:
        errors["min_days_between_surveys"] = [at_most]
    if data.invitation_valid_days < 1:
        errors["invitation_valid_days"] = [_("An invitation is valid for at least one day.")]
    elif data.invitation_valid_days > MAX_VALID_DAYS:
        errors["invitation_valid_days"] = [
            _("An invitation is valid for at most %(days)s days.") % {"days": MAX_VALID_DAYS}
        ]
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
        if value is not None:
            try:
                require_aware(value, field=name)
            except ValidationError as exc:
                errors.update(exc.message_dict)
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


def stratum_options(wave: Wave) -> dict[str, tuple[str, Department | None]]:
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
    options = stratum_options(wave)
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


def wave_is_drawn(wave: Wave) -> bool:
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
    transition_record(
        lifecycle=WAVE_LIFECYCLE, obj=wave, from_status="", to_status=WaveStatus.DRAFT, actor=actor
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
def wave_update(*, wave: Wave, actor: Actor, data: WaveInput) -> Wave:
    """Change a draft that has not been drawn yet (afterwards its invitees depend on these settings)."""
    locked = Wave.objects.select_for_update().select_related("hospital").get(pk=wave.pk)
    if locked.status != WaveStatus.DRAFT:
        raise ValidationError({"status": [_("Only a draft wave can be changed.")]})
    if wave_is_drawn(locked):
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
def wave_delete(*, wave: Wave, actor: Actor) -> None:
    """Discard a draft that has not been drawn (nothing refers to it yet)."""
    locked = Wave.objects.select_for_update().get(pk=wave.pk)
    if locked.status != WaveStatus.DRAFT or wave_is_drawn(locked):
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
    *, wave: Wave, to: str, actor: Actor | None, reason: str = "", at: dt.datetime | None = None
) -> Wave:
    """Open, close or reopen a wave; refuses what ``WAVE_TRANSITIONS`` does not allow.

    Only an open wave sends invitations and accepts answers; reopening a closed wave needs a reason.
    ``actor`` is None for the scheduled opening and closing (``opens_at``/``closes_at``).
    """
    locked = Wave.objects.select_for_update().select_related("version").get(pk=wave.pk)
    current = locked.status
    if to not in WaveStatus.values:
        raise ValidationError({"to": [_("Unknown status: %(status)s.") % {"status": to}]})
    if to not in WAVE_LIFECYCLE.allowed(locked):
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
    transition_apply(
        lifecycle=WAVE_LIFECYCLE,
        obj=locked,
        to=to,
        actor=actor,
        # The API has always promised at most 255 characters (its schema says so).
        reason=reason.strip()[:255],
        at=at,
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
