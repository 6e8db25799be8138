"""Answering a survey: opening the link, saving part-way, and submitting once (DESIGN §5.4).

Every mode ends in :func:`response_submit` (web self-completion, phone interview, paper entry from an
invitation) or, for legacy files, in ``services.imports`` through :func:`response_store`. A submission is
one transaction: the invitation is *claimed* by a conditional UPDATE from an answerable status to
``completed`` (only one of several concurrent submissions of a token can win it; the others get
"already answered"), the response is stored with its scored ``Answer`` rows, indexes and case-mix
adjusters, the draft is deleted, and a service-recovery case is opened in the desk when a trigger fires
(``services.recovery``), all or nothing.

Anonymous waves keep no link from answer to person: the response has no invitation, patient or
encounter; its submission time (and ``created_at``) is cut to the day (00:00 Asia/Shanghai), its start
time is not kept, its adjusters hold only the service line and the respondent's own answers about
themselves (``srh``, ``edu``), and the audit row names the wave, not the response. The invitation still
records that the person answered (so no reminder is sent), with its time also cut to the day. What
remains is the order of row ids; reports hide groups smaller than the wave's ``min_report_group``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebridge.core.models import Department
from carebridge.core.services.audit import audit_record, audit_row
from carebridge.core.services.rows import Child, insert_together
from carebridge.core.types import Actor
from carebridge.patients.models import Encounter, Patient
from carebridge.surveys.choices import ANSWERABLE, InvitationStatus, ResponseMode, VersionStatus, WaveStatus
from carebridge.surveys.domain import instruments
from carebridge.surveys.models import (
    Answer,
    InstrumentVersion,
    Invitation,
    Response,
    ResponseDraft,
    Wave,
)
from carebridge.surveys.selectors.responses import version_content
from carebridge.surveys.services.invitations import INVITATION_LIFECYCLE, invitation_transition

LANGUAGES = ("zh-hans", "en")

# Why a token cannot be answered; the public page shows the message in the respondent's language.
ALREADY_ANSWERED = "already_answered"
EXPIRED = "expired"
WITHDRAWN = "withdrawn"
CLOSED = "closed"
NOT_OPEN = "not_open"
NOT_YET = "not_yet"
REFUSALS: dict[str, Any] = {
    ALREADY_ANSWERED: gettext_lazy("This questionnaire has already been answered. Thank you!"),
    EXPIRED: gettext_lazy("This invitation has expired."),
    WITHDRAWN: gettext_lazy("This invitation has been withdrawn."),
    CLOSED: gettext_lazy("This survey is closed."),
    NOT_OPEN: gettext_lazy("This survey has not started yet."),
    NOT_YET: gettext_lazy("This invitation cannot be answered yet."),
}

# Age bands of the case-mix adjustment (as in HCAHPS), by age in whole years at submission.
AGE_BANDS: tuple[tuple[int, str], ...] = (
    (18, "0-17"),
    (25, "18-24"),
    (35, "25-34"),
    (45, "35-44"),
    (55, "45-54"),
    (65, "55-64"),
    (75, "65-74"),
    (85, "75-84"),
)
# Answers about the respondent that double as adjusters when the instrument asks them.
SELF_REPORTED_ADJUSTERS = ("srh", "edu")


class SubmissionRefused(ValidationError):
    """The token cannot be answered (already answered, expired, withdrawn, survey closed or not open)."""

    def __init__(self, reason: str) -> None:
        super().__init__(str(REFUSALS[reason]), code=reason)
        self.reason = reason


_RANGE = re.compile(r"^a whole number from (?P<low>-?[\d.]+) to (?P<high>-?[\d.]+)$")


def answer_error_message(error: str) -> str:
    """The respondent-facing message (in the active language) for an error of ``clean_answers``."""
    match = _RANGE.match(error)
    if match:
        return _("Choose a whole number from %(low)s to %(high)s.") % match.groupdict()
    messages = {
        "no such item": _("This question is not part of the questionnaire."),
        "an answer is required": _("Please answer this question."),
        "not one of the options": _("Choose one of the options."),
        "choose among the options": _("Choose one or more of the options."),
        "“not applicable” is not offered": _("“Not applicable” is not offered for this question."),
        "at most 4000 characters": _("Please keep your answer under 4,000 characters."),
    }
    return messages.get(error, _("This answer cannot be accepted."))


def answer_errors(errors: Mapping[str, str]) -> ValidationError:
    """One ValidationError with a translated message per item code."""
    return ValidationError({code: [answer_error_message(error)] for code, error in errors.items()})


def normalise_language(language: str | None) -> str:
    return "en" if (language or "").lower().startswith("en") else "zh-hans"


def refusal_reason(invitation: Invitation, now: dt.datetime) -> str | None:
    """Why the invitation cannot be answered now, or None when it can."""
    wave = invitation.wave
    if invitation.status == InvitationStatus.COMPLETED:
        return ALREADY_ANSWERED
    if invitation.status == InvitationStatus.WITHDRAWN:
        return WITHDRAWN
    if invitation.status == InvitationStatus.EXPIRED or invitation.expires_at <= now:
        return EXPIRED
    if invitation.sent_at is None and invitation.send_after > now:
        # Not sent yet: a QR card printed ahead, or a link guessed before the timing rules allow
        # (48 h after discharge, outside quiet hours) — refused like an expired one.
        return NOT_YET
    if wave.status == WaveStatus.CLOSED or (wave.closes_at is not None and wave.closes_at <= now):
        return CLOSED
    if wave.status != WaveStatus.OPEN or (wave.opens_at is not None and wave.opens_at > now):
        return NOT_OPEN
    return None


def invitation_expire(*, invitation: Invitation, now: dt.datetime) -> bool:
    """Mark an answerable invitation whose validity ran out as expired; False when it was not."""
    if invitation.status not in ANSWERABLE or invitation.expires_at > now:
        return False
    invitation_transition(invitation=invitation, to=InvitationStatus.EXPIRED, reason="expired on use", at=now)
    return True


def _refuse_unless_answerable(invitation: Invitation, now: dt.datetime) -> None:
    reason = refusal_reason(invitation, now)
    if reason == EXPIRED:
        # Recorded in a transaction of its own, so the refusal below does not undo it.
        invitation_expire(invitation=invitation, now=now)
    if reason is not None:
        raise SubmissionRefused(reason)


def invitation_open(*, invitation: Invitation, now: dt.datetime) -> Invitation:
    """Record the first opening of the link (status ``opened``); later openings change nothing."""
    if invitation.opened_at is not None or refusal_reason(invitation, now) is not None:
        return invitation
    invitation_transition(invitation=invitation, to=InvitationStatus.OPENED, reason="link opened", at=now)
    return invitation


@transaction.atomic
def draft_save(
    *, invitation: Invitation, answers: Mapping[str, Any], page: int, now: dt.datetime
) -> ResponseDraft:
    """Save the answers so far (save and resume, from any device with the same link)."""
    _refuse_unless_answerable(invitation, now)
    cleaned, errors = instruments.clean_answers(invitation.wave.version.definition, answers, partial=True)
    if errors:
        raise answer_errors(errors)
    draft, created = ResponseDraft.objects.get_or_create(
        invitation=invitation,
        defaults={"answers": cleaned, "page": page, "started_at": invitation.opened_at or now},
    )
    if not created:
        draft.answers, draft.page = cleaned, page
        draft.save(update_fields=["answers", "page", "updated_at"])
    audit_record(
        actor=None,
        action="survey.draft.save",
        obj=invitation,
        summary=f"{invitation.wave_id}: page {page}",
        changes={"answered": len(cleaned)},
    )
    return draft


def age_band(birth_date: dt.date | None, on: dt.date) -> str:
    if birth_date is None:
        return ""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return next((label for limit, label in AGE_BANDS if age < limit), "85+")


def adjusters_for(
    *, invitation: Invitation | None, department_code: str, answers: Mapping[str, Any], submitted: dt.datetime
) -> dict[str, Any]:
    """Case-mix adjusters captured at submission (DESIGN §5.4, patient-mix adjustment)."""
    values: dict[str, Any] = {}
    if department_code:
        values["service_line"] = department_code
    if invitation is not None and invitation.patient is not None:
        patient = invitation.patient
        band = age_band(patient.birth_date, timezone.localdate(submitted))
        if band:
            values["age_band"] = band
        values["sex"] = patient.sex
    if invitation is not None and invitation.encounter is not None and invitation.encounter.ended_at:
        ended = timezone.localdate(invitation.encounter.ended_at)
        values["lag_days"] = (timezone.localdate(submitted) - ended).days
    for code in SELF_REPORTED_ADJUSTERS:
        if code in answers and answers[code] != instruments.NOT_APPLICABLE:
            values[code] = answers[code]
    return values


def start_of_day(moment: dt.datetime) -> dt.datetime:
    """00:00 of the moment's local day, as an aware datetime (what anonymous responses keep)."""
    local = timezone.localtime(moment)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def response_store(
    *,
    wave: Wave,
    answers: Mapping[str, Any],
    mode: str,
    language: str,
    submitted_at: dt.datetime,
    invitation: Invitation | None = None,
    department: Any = None,
    started_at: dt.datetime | None = None,
    interviewer: Any = None,
    source_key: str | None = None,
    adjusters: Mapping[str, Any] | None = None,
    along: Callable[[Response], Sequence[Child]] | None = None,
) -> Response:
    """Write a response with its scored answers and indexes. Answers must be clean; the caller holds the
    transaction and has claimed the invitation. ``invitation`` is dropped in anonymous waves. ``along``:
    the other new rows of the write, given the unsaved response (its score set), written in the same
    statement after it (``core.services.rows``)."""
    version = wave.version
    overall, dimension_scores = instruments.score(version.definition, answers)
    keep_person = invitation is not None and not wave.anonymous
    duration = None
    if started_at is not None and submitted_at >= started_at:
        duration = int((submitted_at - started_at).total_seconds())
    if wave.anonymous:
        submitted_at, started_at = start_of_day(submitted_at), None
    response = Response(
        hospital_id=wave.hospital_id,
        wave=wave,
        version=version,
        invitation=invitation if keep_person else None,
        patient=invitation.patient if keep_person and invitation else None,
        encounter=invitation.encounter if keep_person and invitation else None,
        respondent_class=wave.respondent_class,
        department=department if department is not None else (invitation.department if invitation else None),
        # Ids, not the related rows: reading ``invitation.ward`` would load the ward for nothing.
        ward_id=invitation.ward_id if invitation else None,
        stratum_id=invitation.stratum_id if invitation else None,
        mode=mode,
        language=normalise_language(language),
        started_at=started_at,
        submitted_at=submitted_at,
        duration_seconds=duration,
        answers=dict(answers),
        score=overall,
        dimension_scores=dimension_scores,
        adjusters=dict(adjusters or {}),
        interviewer=interviewer,
        source_key=source_key,
    )
    # The response, its answers and the caller's rows: one statement on PostgreSQL.
    answer_rows = [Child(row, parent_key="response") for row in _answer_rows(response.version, answers)]
    insert_together(response, [*answer_rows, *(along(response) if along else ())])
    if wave.anonymous:
        Response.objects.filter(pk=response.pk).update(created_at=submitted_at)
    return response


def _answer_rows(version: InstrumentVersion, answers: Mapping[str, Any]) -> list[Answer]:
    """The unsaved long-format rows of the scored answers, without their response (the item ids of a
    published version are read once per process, ``selectors.responses.version_content``)."""
    content = version_content(version)
    items = content.item_ids
    specs = {spec.code: spec for spec in instruments.iter_items(content.definition) if spec.scored}
    rows = []
    for code, value in answers.items():
        if code not in specs or code not in items:
            continue
        not_applicable = value == instruments.NOT_APPLICABLE
        rows.append(
            Answer(
                item_id=items[code],
                value=None if not_applicable else float(value),
                not_applicable=not_applicable,
            )
        )
    return rows


def response_submit(
    *,
    invitation: Invitation,
    answers: Mapping[str, Any],
    language: str,
    mode: str,
    now: dt.datetime,
    interviewer: Actor | None = None,
    started_at: dt.datetime | None = None,
) -> Response:
    """Submit the answers of one invitation, once. Refuses with :class:`SubmissionRefused` (already
    answered, expired — then marked so —, withdrawn, closed) or a ValidationError per item code."""
    if mode not in (ResponseMode.WEB, ResponseMode.PHONE, ResponseMode.PAPER):
        raise ValidationError({"mode": [_("Unknown mode: %(mode)s.") % {"mode": mode}]})
    if (mode == ResponseMode.WEB) != (interviewer is None):
        raise ValidationError({"interviewer": [_("Phone and paper entries record who entered them.")]})
    _refuse_unless_answerable(invitation, now)
    wave = invitation.wave
    cleaned, errors = instruments.clean_answers(wave.version.definition, answers)
    if errors:
        raise answer_errors(errors)
    try:
        return _claim_and_store(
            invitation=invitation,
            answers=cleaned,
            language=language,
            mode=mode,
            now=now,
            interviewer=interviewer,
            started_at=started_at,
        )
    except IntegrityError as exc:  # the OneToOne of a named wave: a second row for the token
        raise SubmissionRefused(ALREADY_ANSWERED) from exc


@functools.cache
def _claim_sql(vendor: str) -> str:
    """The token's move to "completed" while it is answerable: the ORM's ``filter(…).update(…)``, written
    from the model's metadata (compiling it was ~5 % of a submission's CPU, issue 18 item 5)."""
    del vendor  # the cache key: the statement is the connection's, and so is its quoting
    quote, meta = connection.ops.quote_name, Invitation._meta
    names = ("id", "status", "completed_at", "expires_at", "sent_at", "send_after")
    column = {name: quote(cast(Field, meta.get_field(name)).column) for name in names}
    statuses = ", ".join(["%s"] * len(ANSWERABLE))
    return (
        f"UPDATE {quote(meta.db_table)} SET {column['status']} = %s, {column['completed_at']} = %s "  # noqa: S608
        f"WHERE {column['id']} = %s AND {column['status']} IN ({statuses}) AND {column['expires_at']} > %s "
        f"AND ({column['sent_at']} IS NOT NULL OR {column['send_after']} <= %s)"
    )


def _claim(invitation: Invitation, *, now: dt.datetime, completed_at: dt.datetime) -> bool:
    """Claim the token for this submission; False when it is no longer answerable (another submission
    won the race, or it expired or was withdrawn since it was read)."""
    moment = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            _claim_sql(connection.vendor),
            [InvitationStatus.COMPLETED.value, moment(completed_at), invitation.pk, *sorted(ANSWERABLE),
             moment(now), moment(now)],
        )  # fmt: skip
        return cursor.rowcount == 1


def _draft_delete(invitation: Invitation) -> dt.datetime | None:
    """Delete the invitation's draft (nothing refers to drafts) and return when it was started."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM surveys_responsedraft WHERE invitation_id = %s RETURNING started_at", [invitation.pk]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    started = row[0]
    if isinstance(started, str):  # SQLite hands back the stored text or a naive datetime, both UTC
        started = parse_datetime(started)
    if started is not None and timezone.is_naive(started):
        started = timezone.make_aware(started, dt.UTC)
    return started


@transaction.atomic
def _claim_and_store(
    *,
    invitation: Invitation,
    answers: dict[str, Any],
    language: str,
    mode: str,
    now: dt.datetime,
    interviewer: Actor | None,
    started_at: dt.datetime | None,
) -> Response:
    """The submission's transaction: claim the token, store the response, open a recovery case."""
    from carebridge.surveys.services.recovery import recovery_open

    wave = invitation.wave
    previous = invitation.status
    completed_at = start_of_day(now) if wave.anonymous else now
    if not _claim(invitation, now=now, completed_at=completed_at):
        # Someone else won the race (or the status changed since it was read): say why.
        invitation.refresh_from_db(fields=["status", "expires_at"])
        raise SubmissionRefused(refusal_reason(invitation, now) or ALREADY_ANSWERED)
    # The draft goes with the submission; when it was started is the respondent's start (or the
    # invitation's opening, whichever came first). One statement, not a read and then a delete.
    opened = [moment for moment in (_draft_delete(invitation), invitation.opened_at) if moment]
    started_at = started_at or (min(opened) if opened else None)
    department = invitation.department
    adjusters = adjusters_for(
        invitation=None if wave.anonymous else invitation,
        department_code=department.code if department else "",
        answers=answers,
        submitted=now,
    )

    def along(response: Response) -> list[Child]:
        # The claim above is the life cycle's move to "completed" (invitation_transition would lock the
        # row and let a second submission through silently), so its transition row is written here.
        transition = INVITATION_LIFECYCLE.row(
            invitation,
            from_status=previous,
            to_status=InvitationStatus.COMPLETED,
            # The agent who entered a named response; nobody in an anonymous wave (no trail to the person).
            actor=None if wave.anonymous else interviewer,
            reason=mode,
            at=completed_at,
        )
        if wave.anonymous:
            audit = audit_row(
                actor=interviewer, action="survey.response.submit", obj=wave, summary=f"{mode} (anonymous)"
            )
            return [Child(transition), Child(audit)]
        audit = audit_row(
            actor=interviewer,
            action="survey.response.submit",
            obj=response,
            summary=f"{wave.name}: {mode}",
            changes={"invitation": invitation.pk, "score": response.score},
        )
        return [Child(transition), Child(audit, parent_key="object_id")]

    response = response_store(
        wave=wave,
        answers=answers,
        mode=mode,
        language=language,
        submitted_at=now,
        invitation=invitation,
        started_at=started_at,
        interviewer=interviewer,
        adjusters=adjusters,
        along=along,
    )
    invitation.status, invitation.completed_at = InvitationStatus.COMPLETED, completed_at
    if wave.anonymous:
        return response
    recovery_open(response=response, now=now)
    return response


@transaction.atomic
def response_record_direct(
    *,
    version: InstrumentVersion,
    patient: Patient,
    answers: Mapping[str, Any],
    mode: str,
    actor: Actor,
    submitted_at: dt.datetime | None = None,
    encounter: Encounter | None = None,
    department: Department | None = None,
    language: str = "zh-hans",
) -> Response:
    """A questionnaire answered outside any wave, linked to the person: e.g. the health questionnaire
    of a checkup (篇7 2.2.6 "检前"), filled in on the centre's tablet (``web``) or entered from paper
    (``paper``) at check-in. Validated like a wave's answers (every problem per item code, nothing
    stored), stored with its scored answers; ``actor`` is who entered or handed it over."""
    errors: dict[str, list[str]] = {}
    if version.status != VersionStatus.PUBLISHED:
        errors["version"] = [_("Only a published version can be answered.")]
    if mode not in (ResponseMode.WEB, ResponseMode.PAPER, ResponseMode.PHONE):
        errors["mode"] = [_("Unknown mode: %(mode)s.") % {"mode": mode}]
    if encounter is not None and encounter.patient_id != patient.pk:
        errors["encounter"] = [_("The encounter is another person's.")]
    if errors:
        raise ValidationError(errors)
    cleaned, problems = instruments.clean_answers(version.definition, answers)
    if problems:
        raise answer_errors(problems)
    overall, dimension_scores = instruments.score(version.definition, cleaned)
    entered_by: Any = actor if getattr(actor, "is_authenticated", False) else None
    response = Response.objects.create(
        hospital_id=patient.hospital_id,
        wave=None,
        version=version,
        patient=patient,
        encounter=encounter,
        respondent_class=version.instrument.respondent_class,
        department=department,
        mode=mode,
        language=normalise_language(language),
        submitted_at=submitted_at or timezone.now(),
        answers=cleaned,
        score=overall,
        dimension_scores=dimension_scores,
        interviewer=entered_by,
    )
    rows = _answer_rows(version, cleaned)
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="surveys.response_direct",
        obj=response,
        summary=f"{version.instrument.code} v{version.number}",
    )
    return response
