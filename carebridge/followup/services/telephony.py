"""Events from the hospital's telephony system (vendor-neutral webhook): ringing, answered, ended.

One :class:`TelephonyCall` per vendor call id; an event already received for a call id changes nothing
(switches re-deliver on timeouts). A ringing call is matched to the patient by the caller's number so the
agent's page can pop the record; when the call ends, its recording and duration go to the call attempt
recorded with that call id (or, without one, the agent's latest phone attempt with the patient).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.masking import mask_phone
from carebridge.core.services.audit import audit_record
from carebridge.core.validators import normalise_phone, require_aware
from carebridge.followup.choices import ContactChannel, TelephonyState
from carebridge.followup.models import CallAttempt, TelephonyCall
from carebridge.patients.models import PatientPhone

# How far back an ended call looks for the agent's attempt that has no call id yet.
ATTACH_WINDOW = dt.timedelta(hours=2)
_ORDER: dict[str, int] = {TelephonyState.RINGING: 0, TelephonyState.ANSWERED: 1, TelephonyState.ENDED: 2}


@dataclass(frozen=True)
class TelephonyEvent:
    event: str
    call_id: str
    caller: str = ""
    agent: str = ""
    recording_url: str = ""
    duration_seconds: int | None = None
    at: dt.datetime | None = None


def _match_patient(number: str) -> Any:
    """The one patient with this number (none when unknown or shared by several records)."""
    if not number:
        return None
    patients = {
        phone.patient
        for phone in PatientPhone.objects.filter(
            number=number, patient__merged_into__isnull=True
        ).select_related("patient")[:5]
    }
    return patients.pop() if len(patients) == 1 else None


def _attach(call: TelephonyCall) -> None:
    """Give the ended call's recording and duration to its attempt."""
    attempt = CallAttempt.objects.filter(call_id=call.call_id).first()
    if attempt is None and call.patient_id is not None and call.agent_id is not None:
        since = (call.ringing_at or call.ended_at or timezone.now()) - ATTACH_WINDOW
        attempt = (
            CallAttempt.objects.filter(
                touchpoint__patient_id=call.patient_id,
                agent_id=call.agent_id,
                channel=ContactChannel.PHONE,
                call_id__isnull=True,
                at__gte=since,
            )
            .order_by("-at", "-id")
            .first()
        )
    if attempt is None:
        return
    attempt.call_id = call.call_id
    attempt.recording_url = call.recording_url
    attempt.duration_seconds = call.duration_seconds
    attempt.save(update_fields=["call_id", "recording_url", "duration_seconds"])
    call.attempt = attempt


def telephony_event_receive(*, data: TelephonyEvent) -> tuple[TelephonyCall, bool]:
    """Apply one event; returns the call and whether anything changed (``False`` for a re-delivery)."""
    errors: dict[str, list[str]] = {}
    if data.event not in TelephonyState.values:
        errors["event"] = [_("Unknown event: %(value)s.") % {"value": data.event}]
    if not data.call_id.strip():
        errors["call_id"] = [_("The call id is missing.")]
    if data.at is not None:
        try:
            require_aware(data.at, field="at")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        return _receive(data)
    except IntegrityError:
        # The same call id created by a concurrent delivery: apply the event to that row.
        return _receive(data)


@transaction.atomic
def _receive(data: TelephonyEvent) -> tuple[TelephonyCall, bool]:
    at = data.at or timezone.now()
    with transaction.atomic():
        call, _created = TelephonyCall.objects.select_for_update().get_or_create(
            call_id=data.call_id.strip()[:128], defaults={"state": data.event}
        )
    if any(item.get("event") == data.event for item in call.events):
        return call, False
    call.events = [*call.events, {"event": data.event, "at": at.isoformat()}]
    if data.caller and not call.caller_number:
        call.caller_number = normalise_phone(data.caller)[:32]
        patient = _match_patient(call.caller_number)
        if patient is not None:
            call.patient, call.hospital_id = patient, patient.hospital_id
    if data.agent and not call.agent_key:
        call.agent_key = data.agent[:64]
        call.agent = get_user_model().objects.filter(username=data.agent).first()
    if _ORDER[data.event] >= _ORDER.get(call.state, 0):
        call.state = data.event
    if data.event == TelephonyState.RINGING:
        call.ringing_at = at
    elif data.event == TelephonyState.ANSWERED:
        call.answered_at = at
    else:
        call.ended_at = at
        call.recording_url = data.recording_url[:500]
        call.duration_seconds = data.duration_seconds
        _attach(call)
    call.save()
    audit_record(
        actor=None,
        action=f"telephony.{data.event}",
        obj=call,
        summary=f"{call.call_id} {mask_phone(call.caller_number)}",
        changes={"patient": call.patient_id, "attempt": call.attempt_id},
    )
    return call, True
