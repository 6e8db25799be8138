"""Attempts and outcomes (every attempt logged: time, who, number dialled, outcome, read-back), the
contacts of the script (masked; revealed only with a logged reason), the supervisor's sign-off as
unable to reach, and the recheck outcome that closes the clinical loop.

A notification closes only with a read-back (who answered and what they read back) or with the whole
escalation ladder of its class documented and signed off by a supervisor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.checkup.services.base import user_or_none
from carebridge.core.masking import mask_phone
from carebridge.core.models import Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import transition_apply
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.critical.choices import (
    CLINICAL_LADDER,
    OPEN_STATUSES,
    REACHED_OUTCOMES,
    LadderStep,
    NotificationStatus,
    Outcome,
    RecheckOutcome,
)
from carebridge.critical.models import Attempt, Notification, Recheck
from carebridge.critical.services.detection import LIFECYCLE
from carebridge.critical.services.recheck import recheck_schedule
from carebridge.critical.services.rules import policy_for
from carebridge.patients.choices import AccessAction, EncounterKind, PhoneKind
from carebridge.patients.services.access import patient_access_record

# Outcomes that make sense at each kind of step: a home visit or letter is not a phone call.
_IN_PERSON = frozenset(
    {Outcome.VISITED, Outcome.LETTER_SENT, Outcome.READ_BACK, Outcome.REACHED, Outcome.REFUSED}
)


@dataclass(frozen=True)
class Contact:
    step: str
    step_label: str
    name: str
    number: str  # masked unless revealed


def _require_worker(actor: Actor) -> None:
    if not actor.has_perm("critical.work_notification"):
        raise PermissionDenied(_("You are not allowed to work the critical-result queue."))


def is_clinical(notification: Notification) -> bool:
    """An inpatient's or outpatient's result (its visit belongs to a clinical encounter, not to a
    checkup): the clinical ladder applies — ordering or attending doctor → ward nurse → department head."""
    encounter = notification.visit.encounter
    return encounter is not None and encounter.kind != EncounterKind.CHECKUP


def ladder_of(notification: Notification) -> list[str]:
    """The class's ladder: the clinical one for inpatients and outpatients; for checkup customers the
    customer ladder, without the employer's step for a person who came on their own."""
    policy = policy_for(hospital=notification.hospital, severity=notification.severity)
    if is_clinical(notification):
        return list(policy.clinical_ladder or CLINICAL_LADDER)
    steps = list(policy.ladder)
    if notification.visit.group_id is None:
        steps = [step for step in steps if step != LadderStep.EMPLOYER]
    return steps


def department_heads(department: Any) -> list[Staff]:
    """The active heads of ``department`` (staff whose user has the department-head role there)."""
    return list(
        Staff.objects.filter(
            is_active=True, home_department=department, user__is_active=True, user__groups__name="dept_head"
        )
        .distinct()
        .order_by("name", "id")
    )


def _clinical_contacts(notification: Notification, show: Any) -> list[Contact]:
    labels = dict(LadderStep.choices)
    encounter = notification.visit.encounter
    assert encounter is not None  # noqa: S101 - only called for clinical notifications
    people: list[tuple[str, Staff | None]] = [
        (LadderStep.DOCTOR, encounter.attending_doctor),
        (LadderStep.WARD_NURSE, encounter.primary_nurse),
        *((LadderStep.DEPARTMENT_HEAD, head) for head in department_heads(encounter.department)),
    ]
    return [
        Contact(step, str(labels[step]), f"{person.name} {person.title}".strip(), show(person.phone))
        for step, person in people
        if person is not None
    ]


def contacts_of(notification: Notification, *, revealed: bool = False) -> list[Contact]:
    labels = dict(LadderStep.choices)
    show = (lambda n: n) if revealed else mask_phone
    if is_clinical(notification):
        return _clinical_contacts(notification, show)
    patient = notification.patient
    contacts: list[Contact] = []
    for phone in patient.phones.all().order_by("-is_primary", "id"):
        step = LadderStep.EMERGENCY_CONTACT if phone.kind == PhoneKind.FAMILY else LadderStep.PERSON
        name = phone.label or (patient.name if step == LadderStep.PERSON else "")
        contacts.append(Contact(step, str(labels[step]), name, show(phone.number)))
    group = notification.visit.group
    if group is not None and group.contact_phone:
        contacts.append(
            Contact(
                LadderStep.EMPLOYER,
                str(labels[LadderStep.EMPLOYER]),
                f"{group.name} {group.contact_name}".strip(),
                show(group.contact_phone),
            )
        )
    return sorted(contacts, key=lambda c: list(labels).index(c.step))


@transaction.atomic
def contacts_reveal(*, notification: Notification, actor: Actor, reason: str) -> list[Contact]:
    """The contacts unmasked, once: the reason goes into the patient's access log and the audit trail."""
    _require_worker(actor)
    reason = reason.strip()
    if len(reason) < 2:
        raise ValidationError({"reason": [_("Say why you need the full numbers.")]})
    patient_access_record(
        patient=notification.patient, user=actor, action=AccessAction.REVEAL, reason=reason, fields="phones"
    )
    audit_record(
        actor=actor,
        action="critical.contacts.reveal",
        obj=notification,
        summary=reason,
        changes={"reason": reason},
    )
    return contacts_of(notification, revealed=True)


def _check_attempt(
    *,
    step: str,
    outcome: str,
    number: str,
    answered_by: str,
    read_back: str,
    advice: str,
    ladder: list[str],
) -> None:
    errors: dict[str, list[str]] = {}
    if step not in LadderStep.values:
        errors["step"] = [_("Choose a step of the ladder.")]
    elif step not in ladder:
        errors["step"] = [_("This step is not on this notification's escalation ladder.")]
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Choose an outcome.")]
    elif step == LadderStep.HOME_VISIT and outcome not in _IN_PERSON:
        errors["outcome"] = [_("A home visit or letter has no phone outcome.")]
    elif step != LadderStep.HOME_VISIT and outcome in (Outcome.VISITED, Outcome.LETTER_SENT):
        errors["outcome"] = [_("Only the home-visit step records a visit or a letter.")]
    if outcome == Outcome.READ_BACK:
        if not answered_by.strip():
            errors["answered_by"] = [_("Say who answered.")]
        if not read_back.strip():
            errors["read_back"] = [_("Write what they read back.")]
    if outcome in REACHED_OUTCOMES and not advice.strip():
        errors["advice"] = [_("Write the advice given.")]
    if step != LadderStep.HOME_VISIT and not number.strip():
        errors["number"] = [_("Enter the number dialled.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def attempt_record(
    *,
    notification: Notification,
    actor: Actor,
    step: str,
    outcome: str,
    number: str = "",
    answered_by: str = "",
    read_back: str = "",
    advice: str = "",
    note: str = "",
    at: dt.datetime | None = None,
) -> Attempt:
    """Log one attempt. "Reached, read back" needs who answered and what they read back, and closes the
    notification; any other outcome keeps it open on the ladder."""
    _require_worker(actor)
    locked = (
        Notification.objects.select_for_update().select_related("visit", "hospital").get(pk=notification.pk)
    )
    now = timezone.now() if at is None else require_aware(at, field="at")
    if locked.status not in OPEN_STATUSES:
        raise ValidationError({"notification": [_("This notification is closed.")]})
    if (
        locked.claimed_by_id not in (None, actor.pk)
        and locked.claimed_until is not None
        and locked.claimed_until > now
    ):
        raise ValidationError({"notification": [_("A colleague holds this notification.")]})
    _check_attempt(
        step=step,
        outcome=outcome,
        number=number,
        answered_by=answered_by,
        read_back=read_back,
        advice=advice,
        ladder=ladder_of(locked),
    )
    attempt = Attempt.objects.create(
        notification=locked,
        at=now,
        by=user_or_none(actor),
        step=step,
        number=number.strip()[:32],
        outcome=outcome,
        answered_by=answered_by.strip()[:64],
        read_back=read_back.strip(),
        advice=advice.strip(),
        note=note.strip(),
    )
    fields = ["ladder_step", "claimed_by", "claimed_until"]
    locked.ladder_step = step
    if locked.first_attempt_at is None:
        locked.first_attempt_at = now
        fields.append("first_attempt_at")
    if outcome == Outcome.READ_BACK:
        locked.read_back_at = now
        locked.read_back_by = actor  # type: ignore[assignment]
        locked.read_back_to = attempt.answered_by
        locked.closed_at = now
        locked.claimed_by = None
        locked.claimed_until = None
        transition_apply(
            lifecycle=LIFECYCLE,
            obj=locked,
            to=NotificationStatus.READ_BACK,
            actor=actor,
            at=now,
            reason="",  # the attempt row says what happened, in the reader's language
            update_fields=[*fields, "read_back_at", "read_back_by", "read_back_to", "closed_at"],
        )
        recheck_schedule(notification=locked, actor=actor, at=now)
    else:
        locked.claimed_by = actor  # type: ignore[assignment]
        hold = now + dt.timedelta(
            minutes=policy_for(hospital=locked.hospital, severity=locked.severity).claim_minutes
        )
        locked.claimed_until = max(locked.claimed_until or hold, hold)
        if locked.status == NotificationStatus.NEW:
            transition_apply(
                lifecycle=LIFECYCLE,
                obj=locked,
                to=NotificationStatus.IN_PROGRESS,
                actor=actor,
                at=now,
                reason="",  # the attempt row says what happened, in the reader's language
                update_fields=fields,
            )
        else:
            locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="critical.attempt.record",
        obj=locked,
        summary=f"{step} {outcome} {mask_phone(number.strip())}".strip(),
    )
    notification.refresh_from_db()
    return attempt


def ladder_gaps(notification: Notification) -> list[str]:
    """The ladder's steps without a documented attempt that failed to reach anyone."""
    done = {
        step
        for step, outcome in notification.attempts.values_list("step", "outcome")
        if outcome not in REACHED_OUTCOMES
    }
    return [step for step in ladder_of(notification) if step not in done]


@transaction.atomic
def notification_sign_off_unreachable(
    *, notification: Notification, actor: Actor, reason: str, at: dt.datetime | None = None
) -> Notification:
    """A supervisor closes a notification as unable to reach, once every ladder step is documented."""
    if not actor.has_perm("critical.signoff_notification"):
        raise PermissionDenied(_("Only a supervisor signs off a notification as unable to reach."))
    locked = Notification.objects.select_for_update().get(pk=notification.pk)
    now = timezone.now() if at is None else require_aware(at, field="at")
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the person cannot be reached.")]})
    gaps = ladder_gaps(locked)
    if gaps:
        labels = dict(LadderStep.choices)
        raise ValidationError(
            {
                "notification": [
                    _("Ladder steps not yet tried: %(steps)s.")
                    % {"steps": "、".join(str(labels[s]) for s in gaps)}
                ]
            }
        )
    locked.signed_off_by = actor  # type: ignore[assignment]
    locked.closed_at = now
    locked.claimed_by = None
    locked.claimed_until = None
    transition_apply(
        lifecycle=LIFECYCLE,
        obj=locked,
        to=NotificationStatus.UNREACHABLE,
        actor=actor,
        at=now,
        reason=reason.strip(),
        update_fields=["signed_off_by", "closed_at", "claimed_by", "claimed_until"],
    )
    audit_record(actor=actor, action="critical.notification.unreachable", obj=locked, summary=reason.strip())
    return locked


@transaction.atomic
def recheck_record(
    *,
    notification: Notification,
    actor: Any,
    outcome: str,
    diagnosis: str = "",
    seen_on: dt.date | None = None,
) -> Recheck:
    """What the recheck found (confirmed / not confirmed / did not see a doctor): each rule's positive
    predictive value over time comes from these."""
    _require_worker(actor)
    if outcome not in RecheckOutcome.values:
        raise ValidationError({"outcome": [_("Choose an outcome.")]})
    if notification.status in OPEN_STATUSES or notification.status == NotificationStatus.WITHDRAWN:
        raise ValidationError({"notification": [_("Record the recheck after the person was reached.")]})
    recheck, _created = Recheck.objects.update_or_create(
        notification=notification,
        defaults={
            "outcome": outcome,
            "diagnosis": diagnosis.strip()[:255],
            "seen_on": seen_on,
            "recorded_at": timezone.now(),
            "recorded_by": actor,
        },
    )
    audit_record(actor=actor, action="critical.recheck.record", obj=notification, summary=outcome)
    return recheck
