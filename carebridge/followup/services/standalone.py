"""Standalone follow-up calls: a phone call to a patient that belongs to no inpatient care plan.

Other apps hand follow-up a reason to call — an abnormal checkup finding (篇8 2.3
"对体检有问题者定期进行电话随访 … 对有其他异常结果的体检者，及时通知其就医，或作进一步检查"),
a recheck after a critical result ("did you see a doctor, what was found") — with a generic link to
what the call came from. The call is an ordinary ``Touchpoint`` of kind ``standalone_call`` with no
plan: it enters the same call queue, inside the hospital's calling hours, is claimed atomically,
redialled and escalated (phone → message → visit or letter → lost) by ``services.calls`` like every
other call. What the call learnt about the finding (saw a doctor? confirmed / not confirmed / not seen
yet, and what was found) is recorded with the call attempt (``call_record(..., recheck=...)``) and
stored on the touchpoint; the origin app can read it back (:func:`standalone_calls_for`) or be told on
commit (:func:`recheck_listener_register`).

Follow-up is below the apps that call it (checkup, critical): nothing here imports them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    CallOutcome,
    EscalationStep,
    NoConsentRoute,
    OwnerRule,
    RecheckOutcome,
    StandaloneReason,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.domain.calling import next_calling_time
from carebridge.followup.models import Touchpoint
from carebridge.followup.services.admission import touchpoint_created_record
from carebridge.followup.services.defaults import policy_for
from carebridge.followup.services.transitions import moment, touchpoint_move
from carebridge.patients.models import Patient

logger = logging.getLogger(__name__)

# Queue rank of a standalone call when the caller gives none (tier A = 1, B = 2, C = 3; the queue orders
# by due time first, then by this rank).
DEFAULT_RANK = 2


@dataclass(frozen=True)
class RecheckAnswer:
    """What a reached call learnt about the finding it was made for."""

    outcome: str  # RecheckOutcome
    saw_doctor: bool
    finding: str = ""  # what the doctor found, in the patient's words


RecheckListener = Callable[[Touchpoint], None]
_LISTENERS: dict[str, list[RecheckListener]] = defaultdict(list)


def recheck_listener_register(reason: str, listener: RecheckListener) -> RecheckListener:
    """Call ``listener(touchpoint)`` after the commit that records a recheck outcome on a standalone call
    of ``reason`` (e.g. the critical-result app closing its loop). Register from the app's ``hooks``."""
    if reason not in StandaloneReason.values:
        raise ValueError(f"unknown standalone reason {reason!r}")
    if listener not in _LISTENERS[reason]:
        _LISTENERS[reason].append(listener)
    return listener


def _origin_fields(origin: models.Model | None) -> dict[str, object]:
    if origin is None:
        return {"origin_type": None, "origin_id": None}
    if origin.pk is None:
        raise ValidationError({"origin": [_("The record the call is about is not saved.")]})
    return {"origin_type": ContentType.objects.get_for_model(origin), "origin_id": origin.pk}


def standalone_calls_for(origin: models.Model, *, reason: str | None = None) -> QuerySet[Touchpoint]:
    """The standalone calls made for ``origin`` (any model instance), oldest first. A read for services
    and hooks of the origin app; pages go through the scoped ``touchpoint_list``."""
    calls = Touchpoint.objects.filter(plan__isnull=True, **_origin_fields(origin))
    if reason is not None:
        calls = calls.filter(reason=reason)
    return calls.order_by("created_at", "id")


@transaction.atomic
def standalone_call_schedule(
    *,
    patient: Patient,
    reason: str,
    title: str,
    origin: models.Model | None = None,
    origin_label: str = "",
    hospital: Hospital | None = None,
    department: Department | None = None,
    owner: Staff | None = None,
    due_at: dt.datetime | None = None,
    not_before: dt.datetime | None = None,
    rank: int = DEFAULT_RANK,
    notes: str = "",
    actor: Actor | None = None,
    at: dt.datetime | None = None,
) -> Touchpoint:
    """Schedule a follow-up phone call outside any care plan; it enters the call queue within calling hours.

    - ``reason``: a ``StandaloneReason``; ``origin``: the record the call is about (a checkup visit, a
      critical result, …; any saved model instance), ``origin_label`` a short text for the queue
      (no identifiers: it is shown unmasked); ``title``: what the agent sees ("体检异常随访：血糖偏高").
    - ``hospital`` defaults to the patient's; ``department`` (optional) puts the call in that
      department's scope too; ``owner`` (optional) makes it that person's call instead of the call
      centre's.
    - ``due_at`` (default: now) orders the queue with ``rank`` (1 first); the call is not offered before
      ``not_before`` (default: now), moved to the next calling window of the hospital.
    - Idempotent per (origin, reason): while a call for the same origin and reason is open, that call
      is returned unchanged (after-commit hooks and retries may call this twice).
    - A patient without consent to be contacted is routed by the hospital's policy (a letter instead, or
      skipped with the reason, PIPL Art. 29); one without a phone number goes to a visit or letter.

    Bad input raises ``ValidationError`` and writes nothing.
    """
    when = moment(at)
    hospital = hospital or patient.hospital
    errors: dict[str, list[str]] = {}
    if reason not in StandaloneReason.values:
        errors["reason"] = [_("Unknown value: %(value)s.") % {"value": reason}]
    if not title.strip():
        errors["title"] = [_("Say what the call is about.")]
    if patient.hospital_id != hospital.pk:
        errors["patient"] = [_("The patient belongs to another hospital.")]
    if department is not None and department.hospital_id != hospital.pk:
        errors["department"] = [_("The department belongs to another hospital.")]
    if owner is not None and owner.hospital_id != hospital.pk:
        errors["owner"] = [_("The owner works at another hospital.")]
    if patient.deceased_at is not None:
        errors["patient"] = [_("The patient has died.")]
    if not 1 <= rank <= 99:
        errors["rank"] = [_("The rank is a number from 1 to 99.")]
    for name, value in (("due_at", due_at), ("not_before", not_before)):
        if value is not None:
            try:
                require_aware(value, field=name)
            except ValidationError as error:
                errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    origin_fields = _origin_fields(origin)
    if origin is not None:
        existing = (
            Touchpoint.objects.select_for_update()
            .filter(plan__isnull=True, reason=reason, status__in=OPEN_TOUCHPOINT, **origin_fields)
            .order_by("id")
            .first()
        )
        if existing is not None:
            return existing
    policy = policy_for(hospital)
    sequence = (
        Touchpoint.objects.filter(
            plan__isnull=True, patient=patient, kind=TouchpointKind.STANDALONE_CALL
        ).count()
        + 1
    )
    touchpoint = Touchpoint.objects.create(
        plan=None,
        hospital=hospital,
        patient=patient,
        department=department,
        kind=TouchpointKind.STANDALONE_CALL,
        sequence=min(sequence, 32767),
        title=title.strip()[:128],
        owner_rule=OwnerRule.CLINICIAN if owner is not None else OwnerRule.CALL_CENTRE,
        owner=owner,
        tier_rank=rank,
        reason=reason,
        origin_label=origin_label.strip()[:255],
        due_at=due_at or when,
        available_at=next_calling_time(
            after=max(not_before or when, when), policy=policy, zone=hospital.time_zone
        ),
        notes=notes.strip(),
        **origin_fields,
    )
    touchpoint_created_record(touchpoint, actor=actor, at=when, reason=touchpoint.get_reason_display())
    audit_record(
        actor=actor,
        action="touchpoint.schedule",
        obj=touchpoint,
        summary=f"{touchpoint.get_reason_display()}: {touchpoint.title}",
        changes={"reason": reason, "origin": str(touchpoint.origin_label)[:80]},
    )
    _route_uncontactable(
        touchpoint, patient=patient, no_consent_route=policy.no_consent_route, actor=actor, at=when
    )
    return touchpoint


def _route_uncontactable(
    touchpoint: Touchpoint, *, patient: Patient, no_consent_route: str, actor: Actor | None, at: dt.datetime
) -> None:
    """The same routing as the care plans' calls (``discharge._route_uncontactable``): no consent → a
    letter or skipped by policy; no phone number → a visit or letter."""
    if not patient.contact_consent:
        if no_consent_route == NoConsentRoute.LETTER:
            touchpoint_move(
                touchpoint=touchpoint,
                to=TouchpointStatus.SCHEDULED,
                actor=actor,
                at=at,
                step=EscalationStep.VISIT_OR_LETTER,
                reason=_("No consent to be contacted by phone: a letter instead."),
            )
        else:
            touchpoint_move(
                touchpoint=touchpoint,
                to=TouchpointStatus.SKIPPED,
                actor=actor,
                at=at,
                reason=_("No consent to be contacted (PIPL Art. 29)."),
            )
    elif not patient.phones.exists():
        touchpoint_move(
            touchpoint=touchpoint,
            to=TouchpointStatus.SCHEDULED,
            actor=actor,
            at=at,
            step=EscalationStep.VISIT_OR_LETTER,
            reason=_("No phone number: a home visit or letter."),
        )


# --- what the call learnt --------------------------------------------------------------------------


def recheck_errors(touchpoint: Touchpoint, answer: RecheckAnswer, *, outcome: str) -> dict[str, list[str]]:
    """Why ``answer`` cannot be recorded with an attempt of ``outcome`` on ``touchpoint`` (empty: it can)."""
    if not touchpoint.is_standalone:
        return {"recheck_outcome": [_("Only a standalone follow-up call records a recheck outcome.")]}
    if outcome != CallOutcome.REACHED:
        return {"recheck_outcome": [_("A recheck outcome is recorded with a call that reached the person.")]}
    if answer.outcome not in RecheckOutcome.values:
        return {"recheck_outcome": [_("Unknown value: %(value)s.") % {"value": answer.outcome}]}
    if answer.outcome == RecheckOutcome.NOT_SEEN and answer.saw_doctor:
        return {"saw_doctor": [_("The person saw a doctor: say whether the finding was confirmed.")]}
    if answer.outcome != RecheckOutcome.NOT_SEEN and not answer.saw_doctor:
        return {"saw_doctor": [_("A finding is confirmed or not by a doctor: the person has not seen one.")]}
    if answer.outcome == RecheckOutcome.CONFIRMED and not answer.finding.strip():
        return {"finding": [_("Write down what the doctor found.")]}
    return {}


def recheck_store(touchpoint: Touchpoint, answer: RecheckAnswer, *, at: dt.datetime) -> None:
    """Keep the answer on the touchpoint (part of the caller's transaction, after ``recheck_errors``) and
    tell the origin app's listeners once the transaction commits."""
    touchpoint.recheck_outcome = answer.outcome
    touchpoint.outcome = RecheckOutcome(answer.outcome).label[:255]
    touchpoint.data = {
        **touchpoint.data,
        "recheck": {
            "outcome": answer.outcome,
            "saw_doctor": answer.saw_doctor,
            "finding": answer.finding.strip()[:500],
            "at": at.isoformat(),
        },
    }
    touchpoint.save(update_fields=["recheck_outcome", "outcome", "data", "updated_at"])
    listeners = list(_LISTENERS.get(touchpoint.reason, ()))
    if listeners:
        pk = touchpoint.pk

        def notify() -> None:
            fresh = Touchpoint.objects.get(pk=pk)
            for listener in listeners:
                try:
                    listener(fresh)
                except Exception:  # one listener's failure must not undo the call, nor stop the others
                    logger.exception("Recheck listener %r failed for touchpoint %s.", listener, pk)

        transaction.on_commit(notify)
