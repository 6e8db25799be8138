"""Care plans over a stay: opening one at admission (its owner and template touchpoints are made by
``services.admission``), mid-stay talks, and interviews recorded as done. Discharge and tiers are in
``services.discharge``.

A plan is opened for every inpatient stay, whatever the path that recorded it: the registry's
``encounter_create`` (page, API), an import, or a row written in bulk. ``hooks`` opens it after the
stay's transaction commits; the periodic :func:`care_plans_ensure` catches what bypassed signals
(``bulk_create``, raw SQL imports) and discharges that nobody reported. Both are idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    STAY_KINDS,
    MidStayTrigger,
    PlanStatus,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.domain.calling import deadline
from carebridge.followup.models import (
    CarePlan,
    CustomerFile,
    Touchpoint,
)
from carebridge.followup.services.admission import care_plan_create, template_for, touchpoint_from_template
from carebridge.followup.services.discharge import stay_discharge
from carebridge.followup.services.stay_plans import introduction_clean
from carebridge.followup.services.transitions import moment, plan_settle, touchpoint_move
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter

logger = logging.getLogger(__name__)

# care_plans_ensure looks this far back for stays without a plan (older history is left alone).
ENSURE_LOOKBACK = dt.timedelta(days=90)


# --- opening a plan --------------------------------------------------------------------------------


@transaction.atomic
def care_plan_open(*, encounter: Encounter, actor: Actor | None = None, discharge: bool = True) -> CarePlan:
    """Open the care plan of an inpatient stay (idempotent: an existing plan is returned as it is).

    A stay recorded with its discharge already (an import of a finished stay) is discharged at once
    unless ``discharge`` is false."""
    existing = CarePlan.objects.filter(encounter=encounter).first()
    if existing is not None:
        return existing
    plan = care_plan_create(encounter=encounter, actor=actor)
    encounter = plan.encounter
    if discharge and encounter.ended_at is not None:
        stay_discharge(encounter=encounter, ended_at=encounter.ended_at, actor=actor)
        plan.refresh_from_db()
    return plan


def care_plans_ensure(
    *, now: dt.datetime | None = None, lookback: dt.timedelta = ENSURE_LOOKBACK
) -> dict[str, int]:
    """Open the plans of recent stays that have none, and discharge plans whose stay has ended (idempotent).

    Each stay is handled in its own transaction, so one bad record does not hold up the others.
    """
    now = now or timezone.now()
    opened = discharged = failed = 0
    missing = Encounter.objects.filter(
        kind=EncounterKind.INPATIENT, started_at__gte=now - lookback, care_plan__isnull=True
    ).values_list("pk", flat=True)
    for pk in list(missing):
        try:
            care_plan_open(encounter=Encounter.objects.get(pk=pk))
            opened += 1
        except ValidationError:
            failed += 1
            logger.exception("Could not open the care plan of encounter %s.", pk)
    undischarged = CarePlan.objects.filter(
        discharged_at__isnull=True, encounter__ended_at__isnull=False
    ).values_list("encounter_id", flat=True)
    for pk in list(undischarged):
        encounter = Encounter.objects.get(pk=pk)
        try:
            stay_discharge(encounter=encounter, ended_at=encounter.ended_at, actor=None)  # type: ignore[arg-type]
            discharged += 1
        except ValidationError:
            failed += 1
            logger.exception("Could not discharge the care plan of encounter %s.", pk)
    return {"opened": opened, "discharged": discharged, "failed": failed}


# --- during the stay -------------------------------------------------------------------------------


@transaction.atomic
def midstay_talk_schedule(
    *,
    plan: CarePlan,
    actor: Actor,
    trigger: str,
    event_at: dt.datetime,
    description: str = "",
) -> Touchpoint:
    """Schedule a mid-stay talk (中途沟通) before a special examination or medication."""
    errors: dict[str, list[str]] = {}
    if trigger not in MidStayTrigger.values:
        errors["trigger"] = [_("Unknown value: %(value)s.") % {"value": trigger}]
    try:
        require_aware(event_at, field="event_at")
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        if event_at < plan.admitted_at:
            errors["event_at"] = [_("The examination or medication is before the admission.")]
    if plan.status != PlanStatus.IN_STAY:
        errors["plan"] = [_("Mid-stay talks are scheduled during the stay only.")]
    if errors:
        raise ValidationError(errors)
    template = template_for(plan, TouchpointKind.MID_STAY_TALK)
    if template is None:
        raise ValidationError({"plan": [_("The hospital's template has no mid-stay talk.")]})
    lead = deadline(start=event_at, amount=template.amount, unit=template.unit, zone="UTC") - event_at
    sequence = plan.touchpoints.filter(kind=TouchpointKind.MID_STAY_TALK).count() + 1
    touchpoint = touchpoint_from_template(
        plan,
        template,
        actor=actor,
        at=timezone.now(),
        sequence=sequence,
        due_at=event_at - lead,
        trigger=trigger,
        event_at=event_at,
        event_description=description.strip()[:255],
    )
    audit_record(actor=actor, action="touchpoint.schedule", obj=touchpoint, summary=touchpoint.title)
    return touchpoint


def _clean_customer_file(value: CustomerFile | dict | None) -> CustomerFile:
    """Keep the known keys of a customer file, typed; refuse what is not a list of contacts."""
    if not value:
        return CustomerFile()
    if not isinstance(value, dict):
        raise ValidationError({"customer_file": [_("The customer file must be an object.")]})
    clean = CustomerFile()
    needs = value.get("needs", [])
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise ValidationError({"customer_file": [_("“needs” must be a list of texts.")]})
    clean["needs"] = [n.strip() for n in needs if n.strip()]
    for key in ("expectations", "preferences"):
        clean[key] = str(value.get(key, "")).strip()
    contacts = value.get("contacts", [])
    if not isinstance(contacts, list) or not all(isinstance(c, dict) for c in contacts):
        raise ValidationError(
            {"customer_file": [_("“contacts” must be a list of name, relationship and phone.")]}
        )
    clean["contacts"] = [
        {
            "name": str(c.get("name", "")).strip(),
            "relationship": str(c.get("relationship", "")).strip(),
            "phone": str(c.get("phone", "")).strip(),
        }
        for c in contacts
        if str(c.get("name", "")).strip()
    ]
    return clean


@transaction.atomic
def touchpoint_complete(
    *,
    touchpoint: Touchpoint,
    actor: Actor,
    notes: str,
    outcome: str = "",
    customer_file: CustomerFile | dict | None = None,
    introduction: Iterable[str] | None = None,
    at: dt.datetime | None = None,
) -> Touchpoint:
    """Record an interview or talk as done; the admission interview's customer file goes to the plan, and
    its introduction checklist (the topics introduced, ``services.stay_plans``) stays on the interview."""
    locked = Touchpoint.objects.select_for_update(of=("self",)).select_related("plan").get(pk=touchpoint.pk)
    when = moment(at)
    errors: dict[str, list[str]] = {}
    if locked.kind not in STAY_KINDS:
        errors["touchpoint"] = [_("Calls are recorded as call attempts, with their outcome.")]
    elif locked.status not in OPEN_TOUCHPOINT:
        errors["touchpoint"] = [_("This touchpoint is already closed.")]
    if not notes.strip():
        errors["notes"] = [_("Write down what was talked about.")]
    if customer_file and locked.kind != TouchpointKind.ADMISSION_INTERVIEW:
        errors["customer_file"] = [_("The customer file is taken at the admission interview.")]
    if introduction is not None and locked.kind != TouchpointKind.ADMISSION_INTERVIEW:
        errors["introduction"] = [_("The introduction is made at the admission interview.")]
    if errors:
        raise ValidationError(errors)
    file = _clean_customer_file(customer_file)
    data = dict(locked.data or {})
    if introduction is not None:
        data["introduction"] = introduction_clean(introduction)
    locked.notes = notes.strip()
    locked.outcome = outcome.strip()[:255]
    if file:
        data["customer_file"] = dict(file)
        plan = locked.plan
        assert plan is not None  # noqa: S101 - interviews and talks belong to a stay
        plan.customer_file = dict(file)
        plan.save(update_fields=["customer_file", "updated_at"])
    locked.data = data
    locked.save(update_fields=["notes", "outcome", "data", "updated_at"])
    touchpoint_move(touchpoint=locked, to=TouchpointStatus.DONE, actor=actor, at=when, reason=outcome)
    plan_settle(plan=locked.plan, actor=actor, at=when)
    return locked
