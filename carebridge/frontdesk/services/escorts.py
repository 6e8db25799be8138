"""Escorts (陪诊送诊): requesting one, and the one service that moves it through its life cycle.

:func:`escort_transition` refuses what ``ESCORT_TRANSITIONS`` (the :data:`LIFECYCLE`) does not allow and what
the escort does not support (assigning without a member of staff, cancelling without a reason), then writes
the status, the time of the step, an :class:`EscortTransition` row (``core.services.transitions``) and an
audit row in one transaction. A refusal raises
``ValidationError`` and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital, Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import Lifecycle, transition_apply, transition_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.frontdesk.choices import ESCORT_TRANSITIONS, EscortStatus, Mobility
from carebridge.frontdesk.models import Escort, EscortTransition
from carebridge.patients.models import Patient

# The escort life cycle; pages ask it which moves to offer. ``assigned_to`` records who was given the escort.
LIFECYCLE: Lifecycle[Escort] = Lifecycle(
    record=EscortTransition,
    subject="escort",
    moves=ESCORT_TRANSITIONS,
    choices=EscortStatus,
    extra_columns=("assigned_to",),
)
# The times of the steps, saved with the status.
_STEP_FIELDS = ("assigned_to", "assigned_at", "started_at", "done_at", "cancelled_at", "updated_at")
_FUTURE_SLACK = dt.timedelta(minutes=5)
# A request for "yesterday" is a typing error; a back-dated paper request may be a few hours old.
_PAST_LIMIT = dt.timedelta(hours=12)


@dataclass
class EscortInput:
    from_place: str
    to_place: str
    scheduled_at: dt.datetime
    mobility: str
    patient: Patient | None = None
    patient_name: str = ""
    department: Department | None = None
    notes: str = ""


def _label(status: str) -> str:
    return str(EscortStatus(status).label) if status in EscortStatus.values else status


@transaction.atomic
def escort_request(
    *, hospital: Hospital, actor: Any, data: EscortInput, at: dt.datetime | None = None
) -> Escort:
    """Ask for a patient to be accompanied; the request starts as "requested", waiting for a person."""
    from carebridge.patients.selectors.patients import patient_list

    now = timezone.now()
    requested_at = at or now
    errors: dict[str, list[str]] = {}
    if not data.from_place.strip():
        errors["from_place"] = [_("Where is the patient now?")]
    if not data.to_place.strip():
        errors["to_place"] = [_("Where should the patient go?")]
    if data.mobility not in Mobility.values:
        errors["mobility"] = [_("Unknown value: %(value)s.") % {"value": data.mobility}]
    try:
        require_aware(data.scheduled_at, field="scheduled_at")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    else:
        if at is None and data.scheduled_at < now - _PAST_LIMIT:
            errors["scheduled_at"] = [_("The time lies too far in the past.")]
    name = data.patient_name.strip()
    if data.patient is not None:
        if not patient_list(user=actor).filter(pk=data.patient.pk, hospital=hospital).exists():
            errors["patient"] = [_("This patient is not in your scope.")]
        name = name or data.patient.name
    if not name and "patient" not in errors:
        errors["patient_name"] = [_("Give the patient's name, or choose a registered patient.")]
    if data.department is not None and data.department.hospital_id != hospital.pk:
        errors["department"] = [_("The department belongs to another hospital.")]
    if errors:
        raise ValidationError(errors)
    escort = Escort.objects.create(
        hospital=hospital,
        patient=data.patient,
        patient_name=name[:64],
        department=data.department,
        from_place=data.from_place.strip(),
        to_place=data.to_place.strip(),
        scheduled_at=data.scheduled_at,
        mobility=data.mobility,
        notes=data.notes.strip(),
        requested_by=actor,
        requested_at=requested_at,
    )
    transition_record(
        lifecycle=LIFECYCLE,
        obj=escort,
        from_status="",
        to_status=EscortStatus.REQUESTED,
        actor=actor,
        at=requested_at,
        reason=escort.notes[:200],
    )
    audit_record(actor=actor, action="escort.request", obj=escort, summary=str(escort))
    return escort


def _check(escort: Escort, to: str, *, staff: Staff | None, reason: str) -> dict[str, list[str]]:
    current = escort.status
    if to not in EscortStatus.values:
        return {"to": [_("Unknown status: %(status)s.") % {"status": to}]}
    if to not in ESCORT_TRANSITIONS.get(current, frozenset()):
        return {
            "to": [
                _("An escort that is “%(current)s” cannot be moved to “%(to)s”.")
                % {"current": _label(current), "to": _label(to)}
            ]
        }
    errors: dict[str, list[str]] = {}
    if to == EscortStatus.ASSIGNED:
        if staff is None:
            errors["staff"] = [_("Choose who accompanies the patient.")]
        elif staff.hospital_id != escort.hospital_id or not staff.is_active:
            errors["staff"] = [_("This person does not work at the hospital (or no longer).")]
        elif current == EscortStatus.ASSIGNED and staff.pk == escort.assigned_to_id:
            errors["staff"] = [_("The escort is already assigned to this person.")]
    if to == EscortStatus.CANCELLED and not reason.strip():
        errors["reason"] = [_("Say why the escort is cancelled.")]
    return errors


@transaction.atomic
def escort_transition(
    *,
    escort: Escort,
    to: str,
    actor: Actor,
    staff: Staff | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Escort:
    """Move an escort to status ``to`` (assign, start, finish, cancel), or refuse and change nothing."""
    locked = Escort.objects.select_for_update().get(pk=escort.pk)
    now = timezone.now()
    moment = now if at is None else require_aware(at, field="at")
    errors = _check(locked, to, staff=staff, reason=reason)
    if not errors and moment > now + _FUTURE_SLACK:
        errors["at"] = [_("The time is in the future.")]
    if errors:
        raise ValidationError(errors)
    current = locked.status
    if to == EscortStatus.ASSIGNED:
        locked.assigned_to, locked.assigned_at = staff, moment
    elif to == EscortStatus.UNDER_WAY:
        locked.started_at = moment
    elif to == EscortStatus.DONE:
        locked.done_at = moment
    elif to == EscortStatus.CANCELLED:
        locked.cancelled_at = moment
    transition_apply(
        lifecycle=LIFECYCLE,
        obj=locked,
        to=to,
        actor=actor,
        reason=reason.strip(),
        at=moment,
        update_fields=_STEP_FIELDS,
        record={"assigned_to": staff if to == EscortStatus.ASSIGNED else None},
    )
    audit_record(
        actor=actor,
        action=f"escort.{to}",
        obj=locked,
        summary=f"{locked}: {_label(current)} → {_label(to)}",
        changes={
            "status": [current, to],
            "staff": staff.pk if staff else None,
            "reason": reason.strip()[:200],
        },
    )
    return locked


def escort_assign(*, escort: Escort, actor: Actor, staff: Staff, at: dt.datetime | None = None) -> Escort:
    """Give the escort to a member of staff (or to another one: a reassignment)."""
    return escort_transition(escort=escort, to=EscortStatus.ASSIGNED, actor=actor, staff=staff, at=at)
