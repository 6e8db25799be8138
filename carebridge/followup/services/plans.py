"""Care plans over a stay: opening one at admission (with its owner and template touchpoints), mid-stay
talks, and interviews recorded as done. Discharge and tiers are in ``services.discharge``.

A plan is opened for every inpatient stay, whatever the path that recorded it: the registry's
``encounter_create`` (page, API), an import, or a row written in bulk. ``signals`` opens it after the
stay's transaction commits; the periodic :func:`care_plans_ensure` catches what bypassed signals
(``bulk_create``, raw SQL imports) and discharges that nobody reported. Both are idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Staff
from carebridge.core.services.audit import audit_record
from carebridge.followup import policy as rules
from carebridge.followup.choices import (
    OPEN_TOUCHPOINT,
    STAY_KINDS,
    MidStayTrigger,
    OwnerRule,
    PlanStatus,
    TouchpointKind,
    TouchpointStatus,
)
from carebridge.followup.models import (
    CarePlan,
    CarePlanTransition,
    CustomerFile,
    Touchpoint,
    TouchpointTemplate,
)
from carebridge.followup.services.transitions import moment, plan_settle, touchpoint_move
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter

logger = logging.getLogger(__name__)

# How early before its due date a later follow-up call (e.g. tier A's 30-day call) enters the queue.
LATER_CALL_LEAD = dt.timedelta(days=7)
# care_plans_ensure looks this far back for stays without a plan (older history is left alone).
ENSURE_LOOKBACK = dt.timedelta(days=90)


# --- owners ----------------------------------------------------------------------------------------


def project_manager_for(encounter: Encounter) -> Staff | None:
    """The ward's project manager: the configured one, else the ward manager scoped to the department
    with the fewest open plans (ties: the longest-serving record)."""
    if encounter.ward_id is not None:
        from carebridge.followup.models import WardProjectManager

        assigned = WardProjectManager.objects.filter(ward_id=encounter.ward_id, staff__is_active=True).first()
        if assigned is not None:
            return assigned.staff
    group = Group.objects.filter(name="ward_manager").first()
    if group is None:
        return None
    return (
        Staff.objects.filter(
            hospital_id=encounter.hospital_id,
            is_active=True,
            departments=encounter.department_id,
            user__groups=group,
            user__is_active=True,
        )
        .annotate(
            open_plans=Count(
                "owned_care_plans", filter=~Q(owned_care_plans__status=PlanStatus.CLOSED), distinct=True
            )
        )
        .order_by("open_plans", "id")
        .first()
    )


def _owner(rule: str, plan: CarePlan) -> Staff | None:
    if rule == OwnerRule.WARD_MANAGER:
        return plan.owner
    if rule == OwnerRule.CLINICIAN:
        encounter = plan.encounter
        return encounter.attending_doctor or encounter.primary_nurse
    return None


def _template(plan: CarePlan, kind: str) -> TouchpointTemplate | None:
    return TouchpointTemplate.objects.filter(hospital_id=plan.hospital_id, kind=kind, is_active=True).first()


def _touchpoint(
    plan: CarePlan, template: TouchpointTemplate, *, actor: Any, at: dt.datetime, **fields: Any
) -> Touchpoint:
    touchpoint = Touchpoint.objects.create(
        plan=plan,
        kind=template.kind,
        title=template.title,
        owner_rule=template.owner_rule,
        owner=_owner(template.owner_rule, plan),
        **fields,
    )
    touchpoint_move_created(touchpoint, actor=actor, at=at)
    return touchpoint


def touchpoint_move_created(touchpoint: Touchpoint, *, actor: Any, at: dt.datetime, reason: str = "") -> None:
    """The first transition row of a touchpoint (∅ → scheduled)."""
    from carebridge.followup.models import TouchpointTransition

    TouchpointTransition.objects.create(
        touchpoint=touchpoint,
        at=at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        to_status=touchpoint.status,
        to_step=touchpoint.step if touchpoint.is_call else "",
        reason=reason,
    )


# --- opening a plan --------------------------------------------------------------------------------


@transaction.atomic
def care_plan_open(*, encounter: Encounter, actor: Any = None, discharge: bool = True) -> CarePlan:
    """Open the care plan of an inpatient stay (idempotent: an existing plan is returned as it is).

    A stay recorded with its discharge already (an import of a finished stay) is discharged at once
    unless ``discharge`` is false (``stay_discharge`` opening the plan it is about to discharge)."""
    existing = CarePlan.objects.filter(encounter=encounter).first()
    if existing is not None:
        return existing
    if encounter.kind != EncounterKind.INPATIENT:
        raise ValidationError({"encounter": [_("Care plans are kept for inpatient stays only.")]})
    encounter = Encounter.objects.select_related("hospital", "department", "patient").get(pk=encounter.pk)
    rules.defaults_install(hospital=encounter.hospital)
    zone = encounter.hospital.time_zone
    plan = CarePlan.objects.create(
        hospital=encounter.hospital,
        encounter=encounter,
        patient=encounter.patient,
        department=encounter.department,
        ward_id=encounter.ward_id,
        owner=project_manager_for(encounter),
        admitted_at=encounter.started_at,
    )
    CarePlanTransition.objects.create(
        plan=plan,
        at=encounter.started_at,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        field=CarePlanTransition.FIELD_STATUS,
        to_value=PlanStatus.IN_STAY,
    )
    admission = _template(plan, TouchpointKind.ADMISSION_INTERVIEW)
    if admission is not None:
        _touchpoint(
            plan,
            admission,
            actor=actor,
            at=encounter.started_at,
            due_at=rules.deadline(
                start=encounter.started_at, amount=admission.amount, unit=admission.unit, zone=zone
            ),
        )
    pre_discharge = _template(plan, TouchpointKind.PRE_DISCHARGE_INTERVIEW)
    if pre_discharge is not None:  # due when the discharge is known
        _touchpoint(plan, pre_discharge, actor=actor, at=encounter.started_at)
    audit_record(
        actor=actor,
        action="careplan.open",
        obj=plan,
        summary=f"{plan.department.name} · {plan.owner or '—'}",
        changes={"owner": plan.owner_id},
    )
    if discharge and encounter.ended_at is not None:
        from carebridge.followup.services.discharge import stay_discharge

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
    from carebridge.followup.services.discharge import stay_discharge

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
    actor: Any,
    trigger: str,
    event_at: dt.datetime,
    description: str = "",
) -> Touchpoint:
    """Schedule a mid-stay talk (中途沟通) before a special examination or medication."""
    errors: dict[str, list[str]] = {}
    if trigger not in MidStayTrigger.values:
        errors["trigger"] = [_("Unknown value: %(value)s.") % {"value": trigger}]
    if timezone.is_naive(event_at):
        errors["event_at"] = [_("The time must carry a time zone.")]
    elif event_at < plan.admitted_at:
        errors["event_at"] = [_("The examination or medication is before the admission.")]
    if plan.status != PlanStatus.IN_STAY:
        errors["plan"] = [_("Mid-stay talks are scheduled during the stay only.")]
    if errors:
        raise ValidationError(errors)
    template = _template(plan, TouchpointKind.MID_STAY_TALK)
    if template is None:
        raise ValidationError({"plan": [_("The hospital's template has no mid-stay talk.")]})
    lead = rules.deadline(start=event_at, amount=template.amount, unit=template.unit, zone="UTC") - event_at
    sequence = plan.touchpoints.filter(kind=TouchpointKind.MID_STAY_TALK).count() + 1
    touchpoint = _touchpoint(
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
    actor: Any,
    notes: str,
    outcome: str = "",
    customer_file: CustomerFile | dict | None = None,
    at: dt.datetime | None = None,
) -> Touchpoint:
    """Record an interview or talk as done; the admission interview's customer file goes to the plan."""
    locked = Touchpoint.objects.select_for_update().select_related("plan").get(pk=touchpoint.pk)
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
    if errors:
        raise ValidationError(errors)
    file = _clean_customer_file(customer_file)
    locked.notes = notes.strip()
    locked.outcome = outcome.strip()[:255]
    if file:
        locked.data = {"customer_file": dict(file)}
        plan = locked.plan
        plan.customer_file = dict(file)
        plan.save(update_fields=["customer_file", "updated_at"])
    locked.save(update_fields=["notes", "outcome", "data", "updated_at"])
    touchpoint_move(touchpoint=locked, to=TouchpointStatus.DONE, actor=actor, at=when, reason=outcome)
    plan_settle(plan=locked.plan, actor=actor, at=when)
    return locked
