"""Demo step 50: 18 months of survey waves, invitations and responses at the demo hospital.

Reads the registry the earlier steps wrote (encounters, patients, staff), lets
:class:`~carebridge.surveys.demo.generator.SurveyPlanner` plan the waves from the known latent model of
:mod:`~carebridge.surveys.demo.latent`, and writes them in bulk (the answering service would take
minutes for ~10,000 invitations). What is stored is what the services store: indexes from
``instruments.score``, ``Answer`` rows for the scored items only, invitation statuses with their
transition rows, SMS messages with masked numbers, anonymous staff responses without invitation,
person or time of day. Then the default recovery triggers are installed and the last week's named
responses go through the live ``recovery_open``, so the desk holds the cases the triggers would have
opened. Waves use the library instruments directly (see ``generator``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from carebridge.core.demo.behind import WriteBehind
from carebridge.core.demo.bulk import bulk_insert, insert_rows
from carebridge.core.demo.steps import DemoContext, register_step
from carebridge.core.masking import mask_phone
from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.core.services.audit import audit_record
from carebridge.patients.models import Encounter, PatientPhone
from carebridge.surveys.choices import MessageKind, MessageStatus, VersionStatus, WaveStatus
from carebridge.surveys.demo.generator import Colleague, Contact, InvitationPlan, SurveyPlanner, WavePlan
from carebridge.surveys.domain import instruments
from carebridge.surveys.domain.library.documents import LIBRARY_CODES
from carebridge.surveys.models import (
    Answer,
    Exclusion,
    InstrumentVersion,
    Invitation,
    InvitationTransition,
    Message,
    Response,
    Wave,
    WaveTransition,
)
from carebridge.surveys.services.invitations import INVITATION_LIFECYCLE
from carebridge.surveys.services.recovery import recovery_open, recovery_triggers_install_defaults
from carebridge.surveys.services.waves import WAVE_LIFECYCLE

BATCH = 2000
RECOVERY_DAYS = 7  # the last week's responses go through the live recovery triggers
SMS_TEXT = (
    "【{hospital}】您好，感谢您近期来我院就诊。诚邀您花5分钟参加满意度调查，帮助我们改进服务："
    "/s/{token}/ 回复TD退订"
)
REMINDER_TEXT = "【{hospital}】提醒：您的满意度调查尚未完成，链接14天内有效：/s/{token}/ 回复TD退订"


@register_step(50, "surveys")
def seed_surveys(context: DemoContext) -> None:
    hospital, departments, wards, _staff = context.data["hospitals"][0]
    versions = _library_versions()
    if not versions:
        context.log("surveys: the instrument library is not installed; skipped")
        return
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=("quality_officer", "agent"))
    }
    planner = SurveyPlanner(
        seed=context.seed + 50,
        as_of=context.as_of,
        definitions={code: version.definition for code, version in versions.items()},
        contacts=_contacts(hospital),
        colleagues=_colleagues(hospital),
    )
    target = _Target(
        hospital=hospital,
        versions=versions,
        departments=departments,
        wards={ward.code: ward for ward_list in wards.values() for ward in ward_list},
        owner=users["quality_officer"],
        agent=users["agent"],
        seed=context.seed,
        items=_scored_items(versions),
    )
    counts = _write(planner.plan(), target)
    with transaction.atomic():
        cases = _recovery_cases(hospital=hospital, since=planner.now - dt.timedelta(days=RECOVERY_DAYS))
        audit_record(
            actor=None,
            action="survey.demo.seed",
            obj=hospital,
            summary=f"{counts['waves']} waves, {counts['responses']} responses",
            changes={**counts, "recovery_cases": cases},
        )
    context.log(
        f"surveys: {counts['waves']} waves, {counts['invitations']} invitations, "
        f"{counts['responses']} responses, {cases} recovery cases"
    )


def _library_versions() -> dict[str, InstrumentVersion]:
    """The newest published version of each library instrument, by instrument code."""
    versions: dict[str, InstrumentVersion] = {}
    rows = (
        InstrumentVersion.objects.filter(
            instrument__hospital__isnull=True,
            instrument__code__in=LIBRARY_CODES,
            status=VersionStatus.PUBLISHED,
        )
        .select_related("instrument")
        .order_by("instrument__code", "-number")
    )
    for version in rows:
        versions.setdefault(version.instrument.code, version)
    return versions


def _contacts(hospital: Hospital) -> list[Contact]:
    """Every encounter of the hospital with its patient's survey facts, in a fixed (natural) order."""
    phones: dict[int, str] = {}
    for patient_id, number in (
        PatientPhone.objects.filter(patient__hospital=hospital)
        .order_by("patient_id", "-is_primary", "id")
        .values_list("patient_id", "number")
    ):
        phones.setdefault(patient_id, number)
    rows = (
        Encounter.objects.filter(hospital=hospital, patient__merged_into__isnull=True)
        .order_by("patient__mrn", "started_at", "id")
        .values_list(
            "id",
            "patient_id",
            "kind",
            "department__code",
            "ward__code",
            "started_at",
            "ended_at",
            "patient__birth_date",
            "patient__sex",
            "patient__survey_consent",
            "patient__deceased_at",
        )
    )
    return [
        Contact(
            encounter_id=eid,
            patient_id=pid,
            kind=kind,
            department=dept or "",
            ward=ward or "",
            started_at=started,
            ended_at=ended,
            birth_date=birth,
            sex=sex,
            survey_consent=consent,
            deceased=deceased is not None,
            phone=phones.get(pid, ""),
        )
        for eid, pid, kind, dept, ward, started, ended, birth, sex, consent, deceased in rows
        if birth is not None
    ]


def _colleagues(hospital: Hospital) -> list[Colleague]:
    rows = (
        Staff.objects.filter(hospital=hospital, kind__in=("doctor", "nurse"), home_department__isnull=False)
        .order_by("home_department__code", "id")
        .values_list("id", "home_department__code", "kind")
    )
    return [Colleague(staff_id=sid, department=code, job=kind) for sid, code, kind in rows]


def _batched(rows: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


@dataclass(frozen=True)
class _Target:
    """Where the planned waves are written, and who owns them."""

    hospital: Hospital
    versions: dict[str, InstrumentVersion]
    departments: dict[str, Department]
    wards: dict[str, Ward]
    owner: Any
    agent: Any
    seed: int
    items: dict[int, dict[str, int]]  # scored item ids by version and code


def _scored_items(versions: dict[str, InstrumentVersion]) -> dict[int, dict[str, int]]:
    """The Answer rows' item ids: scored items only, as the answering service writes them."""
    return {
        version.pk: {
            code: item_id
            for code, item_id in version.items.values_list("code", "id")
            if code in {spec.code for spec in instruments.iter_items(version.definition) if spec.scored}
        }
        for version in versions.values()
    }


def _write(plans: Iterable[WavePlan], target: _Target) -> dict[str, int]:
    """The planned waves in lots of whole waves (closed at ``BATCH`` invitations or more), each lot written
    in a transaction of its own while the planner makes the next (``WriteBehind``)."""
    counts = {"waves": 0, "invitations": 0, "responses": 0, "exclusions": 0}
    lot: list[WavePlan] = []
    invited = 0
    with WriteBehind() as behind:
        for plan in plans:
            lot.append(plan)
            invited += len(plan.invitations)
            counts["waves"] += 1
            counts["invitations"] += len(plan.invitations)
            counts["responses"] += sum(1 for inv in plan.invitations if inv.response is not None)
            counts["exclusions"] += len(plan.exclusions)
            if invited >= BATCH:
                behind(_write_waves, lot, target)
                lot, invited = [], 0
        behind(_write_waves, lot, target)
    return counts


@transaction.atomic
def _write_waves(plan_list: list[WavePlan], target: _Target) -> None:
    if not plan_list:
        return
    waves = Wave.objects.bulk_create(
        _wave_row(
            plan,
            hospital=target.hospital,
            version=target.versions[plan.instrument],
            owner=target.owner,
            seed=target.seed,
        )
        for plan in plan_list
    )
    Wave.objects.filter(pk__in=[w.pk for w in waves]).update(created_at=F("opens_at"))
    WaveTransition.objects.bulk_create(
        cast(
            WaveTransition,
            WAVE_LIFECYCLE.row(wave, from_status=old, to_status=new, actor=target.owner, at=at),
        )
        for wave in waves
        for at, old, new in _wave_history(wave)
    )
    insert_rows(
        Exclusion,
        ("wave_id", "reason", "patient_id", "staff_id"),
        (
            (wave.pk, reason, None if plan.anonymous else person, person if plan.anonymous else None)
            for wave, plan in zip(waves, plan_list, strict=True)
            for person, reason in plan.exclusions
        ),
    )
    pairs = [
        (wave, plan, inv) for wave, plan in zip(waves, plan_list, strict=True) for inv in plan.invitations
    ]
    for batch in _batched(pairs):
        _write_invitations(
            batch,
            departments=target.departments,
            wards=target.wards,
            agent=target.agent,
            hospital=target.hospital,
            items=target.items,
        )


def _wave_row(
    plan: WavePlan, *, hospital: Hospital, version: InstrumentVersion, owner: Any, seed: int
) -> Wave:
    instrument = version.instrument
    return Wave(
        hospital=hospital,
        name=f"{plan.period_start:%Y年%m月} {instrument.name}{plan.label}",
        version=version,
        status=plan.status,
        respondent_class=instrument.respondent_class,
        population=plan.population,
        period_start=plan.period_start,
        period_end=plan.period_end,
        sampling=plan.sampling,
        sample_size=plan.sample_size,
        seed=seed,
        channels=plan.channels,
        anonymous=plan.anonymous,
        min_report_group=5,
        invitation_valid_days=14,
        reminder_days=[] if plan.anonymous else [3, 7],
        opens_at=plan.opens_at,
        closes_at=plan.closes_at,
        owner=owner,
    )


def _wave_history(wave: Wave) -> list[tuple[dt.datetime, str, str]]:
    if wave.opens_at is None or wave.closes_at is None:
        return []
    history: list[tuple[dt.datetime, str, str]] = [(wave.opens_at, WaveStatus.DRAFT, WaveStatus.OPEN)]
    if wave.status == WaveStatus.CLOSED:
        history.append((wave.closes_at, WaveStatus.OPEN, WaveStatus.CLOSED))
    return history


def _write_invitations(
    batch: Sequence[tuple[Wave, WavePlan, InvitationPlan]],
    *,
    departments: dict[str, Department],
    wards: dict[str, Ward],
    agent: Any,
    hospital: Hospital,
    items: dict[int, dict[str, int]],
) -> None:
    invitations = bulk_insert(
        (
            Invitation(
                wave=wave,
                token=plan.token,
                status=plan.status,
                channel=plan.channel,
                patient_id=plan.contact.patient_id if plan.contact else None,
                encounter_id=plan.contact.encounter_id if plan.contact else None,
                staff_id=plan.colleague.staff_id if plan.colleague else None,
                department=departments.get(plan.department),
                ward=wards.get(plan.ward),
                send_after=plan.send_after,
                sent_at=plan.sent_at,
                expires_at=plan.expires_at,
                reminders_sent=len(plan.reminders),
                last_reminder_at=plan.reminders[-1] if plan.reminders else None,
                opened_at=plan.opened_at,
                completed_at=plan.completed_at,
                created_at=plan.send_after,
            )
            for wave, _wave_plan, plan in batch
        ),
        stamped=("created_at",),
    )
    bulk_insert(
        cast(
            InvitationTransition,
            INVITATION_LIFECYCLE.row(
                invitation, from_status=old, to_status=new, actor=None, at=at, reason=note
            ),
        )
        for invitation, (_w, _p, plan) in zip(invitations, batch, strict=True)
        for at, old, new, note in plan.transitions
    )
    bulk_insert(
        (
            message
            for invitation, (_w, _p, plan) in zip(invitations, batch, strict=True)
            for message in _messages(invitation, plan, hospital.name)
        ),
        stamped=("created_at",),
    )
    answered = [
        (invitation, wave, plan)
        for invitation, (wave, _p, plan) in zip(invitations, batch, strict=True)
        if plan.response is not None
    ]
    responses = bulk_insert(
        (
            _response_row(invitation, wave, plan, agent=agent, hospital=hospital)
            for invitation, wave, plan in answered
        ),
        stamped=("created_at",),
    )
    insert_rows(
        Answer,
        ("response_id", "item_id", "value", "not_applicable"),
        (
            (response.pk, scored[code], None if value == "na" else float(value), value == "na")
            for response in responses
            for scored in (items[response.version_id],)
            for code, value in response.answers.items()
            if code in scored
        ),
    )


def _messages(invitation: Invitation, plan: InvitationPlan, hospital_name: str) -> list[Message]:
    if plan.channel != "sms" or plan.sent_at is None or plan.contact is None:
        return []
    to = mask_phone(plan.contact.phone)
    failed = plan.delivery_failed
    first = Message(
        invitation=invitation,
        kind=MessageKind.INVITATION,
        to_masked=to,
        text=SMS_TEXT.format(hospital=hospital_name, token=plan.token),
        backend="console",
        provider_id=f"demo-{plan.token[:12]}",
        status=MessageStatus.FAILED if failed else MessageStatus.DELIVERED,
        error="号码不可达" if failed else "",
        sent_at=plan.sent_at,
        delivered_at=None if failed else plan.sent_at + dt.timedelta(seconds=8),
        created_at=plan.sent_at,
    )
    reminders = [
        Message(
            invitation=invitation,
            kind=MessageKind.REMINDER,
            to_masked=to,
            text=REMINDER_TEXT.format(hospital=hospital_name, token=plan.token),
            backend="console",
            provider_id=f"demo-{plan.token[:12]}-r{index + 1}",
            status=MessageStatus.DELIVERED,
            sent_at=moment,
            delivered_at=moment + dt.timedelta(seconds=8),
            created_at=moment,
        )
        for index, moment in enumerate(plan.reminders)
    ]
    return [first, *reminders]


def _response_row(
    invitation: Invitation, wave: Wave, plan: InvitationPlan, *, agent: Any, hospital: Hospital
) -> Response:
    response = plan.response
    if response is None:
        raise ValueError("only answered invitations have a response row")
    named = not wave.anonymous
    return Response(
        hospital=hospital,
        wave=wave,
        version_id=wave.version_id,
        invitation=invitation if named else None,
        patient_id=invitation.patient_id if named else None,
        encounter_id=invitation.encounter_id if named else None,
        respondent_class=wave.respondent_class,
        department_id=invitation.department_id,
        ward_id=invitation.ward_id,
        stratum=None,
        mode=response.mode,
        language=response.language,
        started_at=response.started_at,
        submitted_at=response.submitted_at,
        duration_seconds=response.duration_seconds,
        answers=response.answers,
        score=response.score,
        dimension_scores=response.dimension_scores,
        adjusters=response.adjusters,
        interviewer=agent if response.by_agent else None,
        created_at=response.submitted_at,
    )


def _recovery_cases(*, hospital: Hospital, since: dt.datetime) -> int:
    """Run the live triggers on the last week's named responses, oldest first (as they arrived)."""
    recovery_triggers_install_defaults(hospital=hospital)
    recent = (
        Response.objects.filter(hospital=hospital, submitted_at__gte=since, invitation__isnull=False)
        .select_related("wave__owner", "version", "hospital", "patient", "department", "invitation")
        .order_by("submitted_at", "id")
    )
    opened = 0
    for response in recent:
        if recovery_open(response=response, now=response.submitted_at) is not None:
            opened += 1
    return opened


from carebridge.surveys.demo import audits as _audits  # noqa: E402, F401 - registers step 88
from carebridge.surveys.demo import qualitative as _qualitative  # noqa: E402, F401 - registers a step 88
