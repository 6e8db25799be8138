"""Call attempts and what their outcomes set off: redials within calling hours, the escalation chain
(phone → SMS or WeChat → home visit or letter → lost to follow-up, 失访), refusal and death.

Rules (the hospital's ``FollowupPolicy``, defaults in brackets):
- no answer: retry after ``retry_minutes`` [120] (busy: ``busy_retry_minutes`` [30]), only inside calling
  hours [08:30–20:30 hospital time]; after ``max_attempts_per_day`` [3] unanswered attempts in a day the
  call moves to the next day's calling hours;
- after ``phone_attempts_before_message`` [6] unanswered attempts a message goes out (on commit, through
  ``core.messaging``) and the call waits ``message_wait_hours`` [48] for the patient to call back; then the
  project manager visits or writes (``escalations_advance``); a visit or letter that fails closes the call
  as lost, with the reason;
- wrong number: the next number of the patient, else straight to a visit or letter (a message to a
  wrong number reaches nobody);
- refused closes the call; deceased closes the whole plan and records the death on the patient.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.masking import mask_phone
from carebridge.core.messaging import MessageResult
from carebridge.core.prepared import STAND_IN_ID, STAND_IN_TIME, PreparedQuery
from carebridge.core.services.audit import audit_record, audit_row
from carebridge.core.services.outbox import outbox_enqueue
from carebridge.core.services.rows import Child, insert_together, update_saved
from carebridge.core.types import Actor
from carebridge.followup.choices import (
    CALL_KINDS,
    CHANNEL_OUTCOMES,
    OPEN_TOUCHPOINT,
    CallOutcome,
    ContactChannel,
    EscalationStep,
    MessageChannel,
    PlanStatus,
    TouchpointStatus,
)
from carebridge.followup.domain.calling import local_day_bounds, next_calling_time, next_day_calling_start
from carebridge.followup.models import CallAttempt, CarePlan, FollowupPolicy, TelephonyCall, Touchpoint
from carebridge.followup.services.defaults import policy_for
from carebridge.followup.services.standalone import RecheckAnswer, recheck_errors, recheck_store
from carebridge.followup.services.transitions import moment, plan_move, plan_settle, touchpoint_move
from carebridge.patients.models import Patient, PatientPhone

logger = logging.getLogger(__name__)

# The outbox kind of follow-up messages (the escalation step after unanswered calls).
MESSAGE_KIND = "followup.message"

_UNREACHED = (CallOutcome.NO_ANSWER, CallOutcome.BUSY)
_VISIT_CHANNELS = (ContactChannel.HOME_VISIT, ContactChannel.LETTER)


def _check(
    touchpoint: Touchpoint,
    *,
    actor: Actor | None,
    channel: str,
    outcome: str,
    notes: str,
    phone: PatientPhone | None,
    now: dt.datetime,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not touchpoint.is_call:
        return {"touchpoint": [_("Interviews and talks are recorded as done, not as call attempts.")]}
    if touchpoint.status not in OPEN_TOUCHPOINT:
        return {"touchpoint": [_("This call is already closed.")]}
    if channel not in ContactChannel.values:
        return {"channel": [_("Unknown value: %(value)s.") % {"value": channel}]}
    if outcome not in CHANNEL_OUTCOMES.get(channel, frozenset()):
        errors["outcome"] = [_("This outcome does not fit the channel.")]
    patient = touchpoint.patient
    if channel == ContactChannel.PHONE and not patient.contact_consent:
        errors["channel"] = [_("The patient has not consented to be contacted by phone.")]
    if phone is not None and phone.patient_id != patient.pk:
        errors["phone"] = [_("This number is not the patient's.")]
    claimed_by_other = (
        touchpoint.claimed_by_id is not None
        and touchpoint.claimed_by_id != getattr(actor, "pk", None)
        and touchpoint.claimed_until is not None
        and touchpoint.claimed_until > now
    )
    if claimed_by_other:
        errors["touchpoint"] = [_("Another agent is on this call.")]
    if channel in _VISIT_CHANNELS and outcome == CallOutcome.FAILED and not notes.strip():
        errors["notes"] = [_("Say what happened: the reason the patient is lost to follow-up.")]
    return errors


def _locked(*, pk: int) -> QuerySet[Any]:  # a Touchpoint with its first phone annotated
    """One read for what the rules need: the call locked, its plan, hospital with the follow-up policy,
    patient, and the number a phone attempt dials when none is chosen (the primary, else the first)."""
    first_phone = PatientPhone.objects.filter(patient_id=OuterRef("patient_id")).order_by("-is_primary", "id")
    return (
        Touchpoint.objects.select_for_update(of=("self",))
        .select_related("plan", "hospital__followup_policy", "patient")
        .annotate(
            first_phone_id=Subquery(first_phone.values("pk")[:1]),
            first_phone_number=Subquery(first_phone.values("number")[:1]),
        )
        .filter(pk=pk)
        .order_by()
    )


# Compiled once (issue 18: building and compiling it was 1.4 of the read's 1.8 ms of CPU).
_LOCKED = PreparedQuery(_locked, stand_ins={"pk": STAND_IN_ID})


@transaction.atomic
def call_record(
    *,
    touchpoint: Touchpoint,
    actor: Any,
    outcome: str,
    channel: str = ContactChannel.PHONE,
    notes: str = "",
    answers: Mapping[str, str] | None = None,
    phone: PatientPhone | None = None,
    call_id: str = "",
    at: dt.datetime | None = None,
    recheck: RecheckAnswer | None = None,
) -> CallAttempt:
    """Record one attempt and apply its outcome; bad input raises ``ValidationError`` and changes nothing.

    ``recheck``: on a standalone call that reached the person, what it learnt about the finding it was
    made for (saw a doctor? confirmed / not confirmed / not seen); stored on the touchpoint."""
    locked = _LOCKED.get(using=router.db_for_write(Touchpoint), pk=touchpoint.pk)
    now = timezone.now()
    when = moment(at)
    errors = _check(locked, actor=actor, channel=channel, outcome=outcome, notes=notes, phone=phone, now=now)
    answers = {str(k): str(v).strip() for k, v in (answers or {}).items() if str(v).strip()}
    call_id = call_id.strip()
    if call_id and CallAttempt.objects.filter(call_id=call_id).exists():
        errors["call_id"] = [_("This call is already recorded.")]
    if recheck is not None and not errors:
        errors.update(recheck_errors(locked, recheck, outcome=outcome))
    if errors:
        raise ValidationError(errors)
    if channel == ContactChannel.PHONE:
        phone_id = phone.pk if phone is not None else locked.first_phone_id
        number = phone.number if phone is not None else locked.first_phone_number
    else:  # the attempt keeps no number; its audit row names the one given, as before
        phone_id, number = None, (phone.number if phone is not None else None)
    attempt = CallAttempt(
        touchpoint=locked,
        at=when,
        agent=actor if getattr(actor, "is_authenticated", False) else None,
        channel=channel,
        step=locked.step,
        outcome=outcome,
        phone_id=phone_id,
        notes=notes.strip(),
        answers=answers,
        call_id=call_id or None,
    )
    audit = audit_row(
        actor=actor,
        action="touchpoint.attempt",
        obj=locked,
        # The choices' labels (``get_…_display()`` hashed every lazy label of the field, translating each).
        summary=f"{ContactChannel(channel).label}: {CallOutcome(outcome).label}",
        changes={"outcome": outcome, "channel": channel, "phone": mask_phone(number) if number else ""},
    )
    # The attempt and its audit row in one statement (issue 18: each ``save()`` compiled its INSERT).
    insert_together(attempt, [Child(audit)])
    if phone is not None and phone_id == phone.pk:
        attempt.phone = phone
    if call_id:
        _attach_telephony(attempt)
    if answers:
        locked.data = {**locked.data, "answers": answers}
    if notes.strip():
        locked.notes = "\n".join(filter(None, [locked.notes, notes.strip()]))
    locked.claimed_by, locked.claimed_until = None, None
    # Saved with the status or the redial time the outcome sets (one UPDATE), or alone at the end.
    unsaved = ["data", "notes", "claimed_by", "claimed_until"]
    if recheck is not None:
        recheck_store(locked, recheck, at=when)
    _apply(locked, attempt, actor=actor, at=when, unsaved=unsaved)
    if unsaved:
        update_saved(locked, [*unsaved, "updated_at"])
    return attempt


def _attach_telephony(attempt: CallAttempt) -> None:
    """Copy the recording and duration the telephony system already reported for this call id."""
    call = TelephonyCall.objects.filter(call_id=attempt.call_id).first()
    if call is None:
        return
    attempt.recording_url, attempt.duration_seconds = call.recording_url, call.duration_seconds
    attempt.save(update_fields=["recording_url", "duration_seconds"])
    TelephonyCall.objects.filter(pk=call.pk).update(attempt=attempt)


def _apply(
    touchpoint: Touchpoint,
    attempt: CallAttempt,
    *,
    actor: Actor | None,
    at: dt.datetime,
    unsaved: list[str],
) -> None:
    """The outcome's consequences. ``unsaved``: fields of ``touchpoint`` the caller changed and has not
    saved; the first status move saves them with it and empties the list."""
    outcome, channel = attempt.outcome, attempt.channel
    plan = touchpoint.plan
    if outcome == CallOutcome.REACHED:
        _move(
            touchpoint,
            unsaved,
            to=TouchpointStatus.DONE,
            actor=actor,
            at=at,
            reason=attempt.get_outcome_display(),
        )
    elif outcome == CallOutcome.REFUSED:
        _move(touchpoint, unsaved, to=TouchpointStatus.REFUSED, actor=actor, at=at, reason=attempt.notes)
    elif outcome == CallOutcome.DECEASED:
        _move(touchpoint, unsaved, to=TouchpointStatus.DECEASED, actor=actor, at=at, reason=attempt.notes)
        _deceased(touchpoint, actor=actor, at=at)
        return
    elif channel == ContactChannel.PHONE:
        _after_unreached_phone(touchpoint, attempt, actor=actor, at=at, unsaved=unsaved)
    elif channel in _VISIT_CHANNELS and outcome == CallOutcome.FAILED:
        _move(
            touchpoint,
            unsaved,
            to=TouchpointStatus.LOST,
            actor=actor,
            at=at,
            step=EscalationStep.LOST,
            reason=attempt.notes,
        )
        _lost(touchpoint, actor=actor, at=at, reason=attempt.notes)
        return
    elif touchpoint.status == TouchpointStatus.SCHEDULED:
        _move(touchpoint, unsaved, to=TouchpointStatus.IN_PROGRESS, actor=actor, at=at)
    # The call in hand is still open (the plan keeps an open touchpoint) unless the outcome closed it.
    plan_settle(plan=plan, actor=actor, at=at, has_open=True if touchpoint.is_open else None)


def _move(touchpoint: Touchpoint, unsaved: list[str], **move: Any) -> None:
    """:func:`touchpoint_move` saving the caller's ``unsaved`` fields in the same UPDATE."""
    touchpoint_move(touchpoint=touchpoint, update_fields=list(unsaved), **move)
    unsaved.clear()


def _after_unreached_phone(
    touchpoint: Touchpoint,
    attempt: CallAttempt,
    *,
    actor: Actor | None,
    at: dt.datetime,
    unsaved: list[str],
) -> None:
    """No answer, busy or wrong number: the next try, the next day, or the next step of the chain.

    The next try's time is saved with the move to "in progress" (one UPDATE); an escalation moves the
    step after it, as its own transition."""
    escalation: tuple[str, str] | None = None
    if touchpoint.step == EscalationStep.PHONE:
        available, escalation = _next_try(touchpoint, attempt, at=at)
        if available is not None:
            touchpoint.available_at = available
            unsaved.append("available_at")
    if touchpoint.status == TouchpointStatus.SCHEDULED:
        _move(touchpoint, unsaved, to=TouchpointStatus.IN_PROGRESS, actor=actor, at=at)
    # (A call back tried at a later step is only logged: the chain goes on as it was.)
    if escalation is not None:
        to_step, reason = escalation
        escalate(touchpoint, to_step=to_step, actor=actor, at=at, reason=reason)


def _unreached(*, pk: int, start: dt.datetime, end: dt.datetime) -> QuerySet[Any]:
    """The call's unanswered phone attempts: how many in all, and between ``start`` and ``end``."""
    return (
        CallAttempt.objects.filter(touchpoint_id=pk, channel=ContactChannel.PHONE, outcome__in=_UNREACHED)
        .order_by()
        .values("touchpoint_id")
        .annotate(total=Count("pk"), today=Count("pk", filter=Q(at__gte=start, at__lt=end)))
        .values_list("total", "today")
    )


_TRIES = PreparedQuery(
    _unreached,
    stand_ins={
        "pk": STAND_IN_ID,
        "start": STAND_IN_TIME,
        "end": STAND_IN_TIME + dt.timedelta(microseconds=1),
    },
)


def _next_try(
    touchpoint: Touchpoint, attempt: CallAttempt, *, at: dt.datetime
) -> tuple[dt.datetime | None, tuple[str, str] | None]:
    """When to dial again after an unreached phone attempt, or the escalation ``(step, reason)``."""
    policy = policy_for(touchpoint.hospital)
    zone = touchpoint.hospital.time_zone
    if attempt.outcome == CallOutcome.WRONG_NUMBER:
        wrong = touchpoint.attempts.filter(outcome=CallOutcome.WRONG_NUMBER).values("phone_id")
        if touchpoint.patient.phones.exclude(pk__in=wrong).exists():
            return next_calling_time(after=at, policy=policy, zone=zone), None
        return None, (EscalationStep.VISIT_OR_LETTER, _("No working phone number."))
    day_start, day_end = local_day_bounds(moment=at, zone=zone)
    alias = router.db_for_write(CallAttempt)
    with connections[alias].cursor() as cursor:
        cursor.execute(*_TRIES.statement(using=alias, pk=touchpoint.pk, start=day_start, end=day_end))
        total, today = cursor.fetchone() or (0, 0)
    if total >= policy.phone_attempts_before_message:
        reason = _("%(count)s phone attempts unanswered.") % {"count": total}
        return None, (EscalationStep.MESSAGE, reason)
    if today >= policy.max_attempts_per_day:
        return next_day_calling_start(after=at, policy=policy, zone=zone), None
    minutes = policy.busy_retry_minutes if attempt.outcome == CallOutcome.BUSY else policy.retry_minutes
    return next_calling_time(after=at + dt.timedelta(minutes=minutes), policy=policy, zone=zone), None


def escalate(
    touchpoint: Touchpoint, *, to_step: str, actor: Actor | None, at: dt.datetime, reason: str
) -> Touchpoint:
    """Move a call to the next step of the chain (part of the caller's transaction)."""
    plan = touchpoint.plan
    status = (
        TouchpointStatus.IN_PROGRESS if touchpoint.status == TouchpointStatus.SCHEDULED else touchpoint.status
    )
    if to_step == EscalationStep.MESSAGE:
        policy = policy_for(touchpoint.hospital)
        touchpoint.available_at = at + dt.timedelta(hours=policy.message_wait_hours)
        touchpoint.save(update_fields=["available_at", "updated_at"])
        touchpoint_move(touchpoint=touchpoint, to=status, actor=actor, at=at, step=to_step, reason=reason)
        _message_send(touchpoint, policy=policy, at=at)
    elif to_step == EscalationStep.VISIT_OR_LETTER:
        touchpoint.owner = touchpoint.owner or (plan.owner if plan is not None else None)
        touchpoint.available_at = at
        touchpoint.save(update_fields=["owner", "available_at", "updated_at"])
        touchpoint_move(touchpoint=touchpoint, to=status, actor=actor, at=at, step=to_step, reason=reason)
    else:
        raise ValueError(f"cannot escalate to {to_step}")
    return touchpoint


def _message_send(touchpoint: Touchpoint, *, policy: FollowupPolicy, at: dt.datetime) -> CallAttempt:
    """Write the message attempt now; the gateway sends it after commit and its answer is stored then."""
    hospital = touchpoint.hospital
    phone = touchpoint.patient.phones.order_by("-is_primary", "id").first()
    channel = ContactChannel.WECHAT if policy.message_channel == MessageChannel.WECHAT else ContactChannel.SMS
    attempt = CallAttempt.objects.create(
        touchpoint=touchpoint,
        at=at,
        channel=channel,
        step=EscalationStep.MESSAGE,
        outcome=CallOutcome.SENT if phone else CallOutcome.FAILED,
        phone=phone,
    )
    if phone is None:
        return attempt
    text = (policy.message_text or "").replace("{hospital}", hospital.name) or hospital.name
    outbox_enqueue(
        kind=MESSAGE_KIND, reference=f"followup-{attempt.pk}", to=phone.number, text=text, channel=channel
    )
    return attempt


def message_record_result(*, attempt_id: int, result: MessageResult) -> None:
    """The gateway's answer for a follow-up message, once the outbox has settled it: the provider's
    reference, or a failed attempt when every retry was refused."""
    update: dict[str, Any] = {"message_reference": result.provider_id or result.error[:128]}
    if not result.accepted:
        update["outcome"] = CallOutcome.FAILED
        logger.warning("Follow-up message followup-%s was refused: %s", attempt_id, result.error)
    CallAttempt.objects.filter(pk=attempt_id).update(**update)


def _lost(touchpoint: Touchpoint, *, actor: Actor | None, at: dt.datetime, reason: str) -> None:
    """The chain is exhausted and the call lost (失访, moved by the caller): the plan's other open calls
    go with it."""
    plan = touchpoint.plan
    if plan is None:
        return  # a standalone call: nothing else goes with it
    for other in plan.touchpoints.filter(status__in=OPEN_TOUCHPOINT, kind__in=CALL_KINDS).exclude(
        pk=touchpoint.pk
    ):
        touchpoint_move(
            touchpoint=other,
            to=TouchpointStatus.CANCELLED,
            actor=actor,
            at=at,
            reason=_("The patient is lost to follow-up."),
        )
    plan_settle(
        plan=plan, actor=actor, at=at, reason=_("Lost to follow-up (失访): %(reason)s") % {"reason": reason}
    )


def _deceased(touchpoint: Touchpoint, *, actor: Actor | None, at: dt.datetime) -> None:
    """The call closed as deceased (by the caller): close every open plan of the patient, and record the
    death on the patient (through the registry's service)."""
    reason = _("The patient died.")
    plans = CarePlan.objects.filter(patient_id=touchpoint.patient_id).exclude(status=PlanStatus.CLOSED)
    for plan in plans.select_for_update():
        for other in plan.touchpoints.filter(status__in=OPEN_TOUCHPOINT):
            touchpoint_move(
                touchpoint=other, to=TouchpointStatus.CANCELLED, actor=actor, at=at, reason=reason
            )
        plan_move(plan=plan, to=PlanStatus.CLOSED, actor=actor, at=at, reason=reason)
    standalone = Touchpoint.objects.filter(
        patient_id=touchpoint.patient_id, plan__isnull=True, status__in=OPEN_TOUCHPOINT
    ).exclude(pk=touchpoint.pk)
    for other in standalone.select_for_update():
        touchpoint_move(touchpoint=other, to=TouchpointStatus.CANCELLED, actor=actor, at=at, reason=reason)
    _record_death(touchpoint.patient, actor=actor, at=at)


def _record_death(patient: Patient, *, actor: Actor | None, at: dt.datetime) -> None:
    if patient.deceased_at is not None:
        return
    from carebridge.patients.services.patients import patient_update

    try:
        with transaction.atomic():
            patient_update(patient=patient, actor=actor, values={"deceased_at": at})
    except ValidationError:
        # A record the registry refuses to change (merged, or invalid data of its own): the follow-up
        # keeps the report, and the audit row says the registry was not updated.
        audit_record(actor=actor, action="patient.deceased_not_recorded", obj=patient, summary=str(at))


# --- the periodic job ------------------------------------------------------------------------------


def escalations_advance(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Move calls whose message went unanswered to a visit or letter, and close tier B/C calls left
    open past their window (tier A is never closed automatically). One transaction per call."""
    now = now or timezone.now()
    moved = expired = 0
    waiting = Touchpoint.objects.filter(
        status__in=OPEN_TOUCHPOINT, step=EscalationStep.MESSAGE, available_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(waiting):
        with transaction.atomic():
            touchpoint = (
                Touchpoint.objects.select_for_update(of=("self",))
                .select_related("plan", "hospital")
                .filter(pk=pk, status__in=OPEN_TOUCHPOINT, step=EscalationStep.MESSAGE)
                .first()
            )
            if touchpoint is not None:
                escalate(
                    touchpoint,
                    to_step=EscalationStep.VISIT_OR_LETTER,
                    actor=None,
                    at=now,
                    reason=_("No reply to the message."),
                )
                moved += 1
    expired += _expire(now)
    return {"escalated": moved, "expired": expired}


def _expire(now: dt.datetime) -> int:
    from carebridge.followup.models import FollowupTier

    count = 0
    for tier in FollowupTier.objects.filter(auto_close_after_days__isnull=False):
        limit = now - dt.timedelta(days=tier.auto_close_after_days or 0)
        stale = Touchpoint.objects.filter(
            hospital_id=tier.hospital_id,
            kind="follow_up_call",
            tier=tier.code,
            status__in=OPEN_TOUCHPOINT,
            due_at__lt=limit,
        ).values_list("pk", flat=True)
        for pk in list(stale):
            with transaction.atomic():
                touchpoint = (
                    Touchpoint.objects.select_for_update(of=("self",))
                    .select_related("plan")
                    .filter(pk=pk, status__in=OPEN_TOUCHPOINT)
                    .first()
                )
                if touchpoint is None:
                    continue
                touchpoint_move(
                    touchpoint=touchpoint,
                    to=TouchpointStatus.EXPIRED,
                    actor=None,
                    at=now,
                    reason=_("Open %(days)s days past its window.") % {"days": tier.auto_close_after_days},
                )
                plan_settle(plan=touchpoint.plan, actor=None, at=now)
                count += 1
    return count
