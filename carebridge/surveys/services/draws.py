"""The draw of a wave's invitees (:func:`wave_draw`): evaluate the population, exclude, sample, invite.

Exclusions are counted per reason in ``Exclusion`` rows; the rest is sampled reproducibly from the
wave's seed and each invitee gets one ``Invitation`` with a random token. Drawing again never
duplicates anyone: a census wave only adds people who entered the population since (a rolling wave of
this month's discharges), a sampled wave keeps the sample it drew.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Ward
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.surveys.choices import (
    Channel,
    ExclusionReason,
    InvitationStatus,
    PopulationKind,
    SamplingMethod,
    WaveStatus,
)
from carebridge.surveys.domain import sampling
from carebridge.surveys.domain.timing import first_send_time
from carebridge.surveys.models import (
    Exclusion,
    Invitation,
    Stratum,
    Wave,
)
from carebridge.surveys.selectors.population import (
    Candidate,
    load_screen,
    person_key,
    population,
    rules_for,
)
from carebridge.surveys.services.invitations import new_token
from carebridge.surveys.services.waves import NO_STRATUM, stratum_options, wave_is_drawn

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
        options = stratum_options(wave)
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
def wave_draw(*, wave: Wave, actor: Actor | None, now: dt.datetime | None = None) -> DrawResult:
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
    drawn_before = wave_is_drawn(locked)
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
