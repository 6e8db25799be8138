"""What follow-up registers with the rest of CareBridge; ``apps.FollowupConfig.ready()`` imports this module.

- **The stay hook.** Open the care plan when an inpatient stay is saved, and discharge it when the stay is
  saved ended. Stays arrive by many paths (the registry's page and API, imports, HL7 ADT messages later),
  so the hook sits on the stay itself. It only schedules work for after the stay's transaction commits
  (the stay's diagnoses are written after the stay row, and the tier policy needs them) and never lets a
  follow-up problem undo the stay: a failure is logged and ``care_plans_ensure`` (beat) retries. Rows
  written without signals (``bulk_create``) are picked up by the same periodic task.
- **The patient timeline.** A patient's touchpoints and call attempts, in the user's scope.
- **The shift handover.** What a desk shift hands over from follow-up: calls claimed but not finished,
  and overdue calls.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext as _

from carebridge.core.messaging import MessageResult
from carebridge.core.models import OutboxMessage
from carebridge.core.selectors.organisation import person_name
from carebridge.core.services.outbox import on_result
from carebridge.core.timeline import TimelineEntry
from carebridge.core.timeline import register as timeline_register
from carebridge.followup.choices import CALL_KINDS, OPEN_TOUCHPOINT, CallOutcome, EscalationStep
from carebridge.followup.domain.calling import next_calling_time
from carebridge.followup.models import FollowupPolicy, Touchpoint
from carebridge.followup.models.plans import BY_DUE
from carebridge.followup.selectors.plans import attempt_list, touchpoint_list
from carebridge.followup.services.calls import MESSAGE_KIND, message_record_result
from carebridge.followup.services.discharge import stay_discharge
from carebridge.followup.services.plans import care_plan_open
from carebridge.frontdesk.choices import HandoverItemKind
from carebridge.frontdesk.domain.carryover import CarriedItem
from carebridge.frontdesk.domain.carryover import register as carryover_register
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter

logger = logging.getLogger(__name__)

# --- the stay hook ---------------------------------------------------------------------------------


@receiver(post_save, sender=Encounter, dispatch_uid="followup.encounter_saved")
def encounter_saved(sender: Any, instance: Encounter, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.kind != EncounterKind.INPATIENT:
        return
    encounter_id = instance.pk
    transaction.on_commit(lambda: plan_for_encounter(encounter_id))


def plan_for_encounter(encounter_id: int) -> None:
    """Open (and, when the stay has ended, discharge) the plan of one stay; idempotent."""
    try:
        encounter = Encounter.objects.get(pk=encounter_id)
        plan = care_plan_open(encounter=encounter)
        if encounter.ended_at is not None and plan.discharged_at is None:
            stay_discharge(encounter=encounter, ended_at=encounter.ended_at, actor=None)
    except Exception:  # the stay is saved whatever happens here; the periodic task retries
        logger.exception("Follow-up could not handle stay %s; care_plans_ensure will retry.", encounter_id)


# --- the patient timeline --------------------------------------------------------------------------


@timeline_register
def followup_entries(patient: Any, user: Any) -> Iterator[TimelineEntry]:
    touchpoints = (
        touchpoint_list(user=user)
        .filter(patient=patient, completed_at__isnull=False)
        .order_by("-completed_at")[:50]
    )
    for touchpoint in touchpoints:
        assert touchpoint.completed_at is not None  # noqa: S101 - filtered above
        yield TimelineEntry(
            at=touchpoint.completed_at,
            kind=f"followup.{touchpoint.kind}",
            title=f"{touchpoint.title} · {touchpoint.get_status_display()}",
            detail=(touchpoint.outcome or touchpoint.closed_reason or touchpoint.notes)[:80],
            icon="clipboard-check",
        )
    attempts = (
        attempt_list(user=user)
        .filter(touchpoint__patient=patient)
        .select_related("touchpoint")
        .order_by("-at", "-id")[:50]
    )
    for attempt in attempts:
        yield TimelineEntry(
            at=attempt.at,
            kind="followup.attempt",
            title=f"{attempt.get_channel_display()} · {attempt.get_outcome_display()}",
            detail=f"{attempt.touchpoint.title} {attempt.notes[:60]}".strip(),
            icon="telephone" if attempt.outcome == CallOutcome.REACHED else "telephone-x",
        )


# --- the shift handover ----------------------------------------------------------------------------

_LIMIT = 50


@carryover_register
def calls_unfinished(hospital: Any, now: dt.datetime) -> Iterator[CarriedItem]:
    """Phone calls open at ``now`` that someone holds, or whose due time has passed."""
    calls = (
        Touchpoint.objects.filter(
            hospital=hospital,
            kind__in=CALL_KINDS,
            status__in=OPEN_TOUCHPOINT,
            step=EscalationStep.PHONE,
        )
        .filter(Q(plan__discharged_at__lte=now) | Q(plan__isnull=True))
        .filter(Q(claimed_by__isnull=False, claimed_until__gte=now) | Q(due_at__lt=now))
        .select_related("patient", "department", "claimed_by")
        .order_by(*BY_DUE)[:_LIMIT]
    )
    policy = FollowupPolicy.objects.filter(hospital=hospital).first()
    hours_open = (
        next_calling_time(after=now, policy=policy, zone=hospital.time_zone) if policy is not None else now
    )
    for call in calls:
        # A call that cannot be dialled yet (outside calling hours, or before its redial time) is waiting,
        # not overdue: the next shift can do nothing about it until it opens.
        opens = max(hours_open, call.available_at or now)
        if call.claimed_by is not None and call.claimed_until and call.claimed_until >= now:
            state = _("claimed by %(user)s") % {"user": person_name(call.claimed_by)}
        elif opens > now:
            state = _("waits for calling hours: can be dialled from %(at)s") % {
                "at": opens.astimezone(ZoneInfo(hospital.time_zone)).strftime("%m-%d %H:%M")
            }
        else:
            state = _("overdue")
        yield CarriedItem(
            kind=HandoverItemKind.CALL,
            object_key=str(call.pk),
            title=f"{call.patient.name} · {call.title}",
            detail=f"{call.department.name if call.department else call.origin_label} · {state}",
            due=call.due_at,
            url=reverse("followup:call", args=[call.pk]),
        )


@on_result(MESSAGE_KIND)
def _message_result(message: OutboxMessage, result: MessageResult) -> None:
    message_record_result(attempt_id=int(message.reference.removeprefix("followup-")), result=result)
