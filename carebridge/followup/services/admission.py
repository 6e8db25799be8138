"""Opening a care plan at admission: its project manager (项目经理), the touchpoints of the hospital's
template, and the first transition rows.

``services.plans`` (a stay opened at admission, or recorded already ended) and ``services.discharge`` (a
discharge that finds no plan yet) both build on this module, and it imports neither of them: the
discharge service never needs ``plans`` and ``plans`` calls the discharge, one way.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from carebridge.core.models import Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.services.transitions import transition_record
from carebridge.core.types import Actor
from carebridge.followup.choices import OPEN_TOUCHPOINT, OwnerRule, PlanStatus, TouchpointKind
from carebridge.followup.domain.calling import deadline
from carebridge.followup.models import (
    CarePlan,
    CarePlanTransition,
    Touchpoint,
    TouchpointTemplate,
    WardProjectManager,
)
from carebridge.followup.services.defaults import defaults_install
from carebridge.followup.services.transitions import PLAN_LIFECYCLE, TOUCHPOINT_LIFECYCLE
from carebridge.patients.choices import EncounterKind
from carebridge.patients.models import Encounter

# --- owners ----------------------------------------------------------------------------------------


def project_manager_for(encounter: Encounter) -> Staff | None:
    """The ward's project manager: the configured one, else the ward manager scoped to the department
    with the fewest open plans (ties: the longest-serving record)."""
    if encounter.ward_id is not None:
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


def touchpoint_owner(rule: str, plan: CarePlan) -> Staff | None:
    """Who does a touchpoint of the template: the project manager, the stay's clinician, or nobody yet
    (the call centre's queue)."""
    if rule == OwnerRule.WARD_MANAGER:
        return plan.owner
    if rule == OwnerRule.CLINICIAN:
        encounter = plan.encounter
        return encounter.attending_doctor or encounter.primary_nurse
    return None


# --- touchpoints from the template -----------------------------------------------------------------


def template_for(plan: CarePlan, kind: str) -> TouchpointTemplate | None:
    """The hospital's active template row of a touchpoint kind (``None``: the hospital does without)."""
    return TouchpointTemplate.objects.filter(hospital_id=plan.hospital_id, kind=kind, is_active=True).first()


def touchpoint_from_template(
    plan: CarePlan, template: TouchpointTemplate, *, actor: Actor | None, at: dt.datetime, **fields: Any
) -> Touchpoint:
    """Create a touchpoint of ``plan`` from a template row, with its first transition row."""
    touchpoint = Touchpoint.objects.create(
        plan=plan,
        hospital_id=plan.hospital_id,
        patient_id=plan.patient_id,
        department_id=plan.department_id,
        kind=template.kind,
        title=template.title,
        owner_rule=template.owner_rule,
        owner=touchpoint_owner(template.owner_rule, plan),
        **fields,
    )
    touchpoint_created_record(touchpoint, actor=actor, at=at)
    return touchpoint


def touchpoint_created_record(
    touchpoint: Touchpoint, *, actor: Actor | None, at: dt.datetime, reason: str = ""
) -> None:
    """The first transition row of a touchpoint (∅ → scheduled; a call also starts its chain at the phone)."""
    transition_record(
        lifecycle=TOUCHPOINT_LIFECYCLE,
        obj=touchpoint,
        from_status="",
        to_status=touchpoint.status,
        actor=actor,
        at=at,
        reason=reason,
        record={"to_step": touchpoint.step if touchpoint.is_call else ""},
    )


# --- the plan --------------------------------------------------------------------------------------


@transaction.atomic
def care_plan_create(*, encounter: Encounter, actor: Actor | None = None) -> CarePlan:
    """Open the care plan of an inpatient stay as at its admission, whatever its discharge (idempotent: an
    existing plan is returned as it is). ``care_plan_open`` also discharges a stay recorded ended."""
    existing = CarePlan.objects.filter(encounter=encounter).first()
    if existing is not None:
        return existing
    if encounter.kind != EncounterKind.INPATIENT:
        raise ValidationError({"encounter": [_("Care plans are kept for inpatient stays only.")]})
    encounter = Encounter.objects.select_related("hospital", "department", "patient").get(pk=encounter.pk)
    defaults_install(hospital=encounter.hospital)
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
    transition_record(
        lifecycle=PLAN_LIFECYCLE,
        obj=plan,
        from_status="",
        to_status=PlanStatus.IN_STAY,
        actor=actor,
        at=encounter.started_at,
        record={"field": CarePlanTransition.FIELD_STATUS},
    )
    admission = template_for(plan, TouchpointKind.ADMISSION_INTERVIEW)
    if admission is not None:
        touchpoint_from_template(
            plan,
            admission,
            actor=actor,
            at=encounter.started_at,
            due_at=deadline(
                start=encounter.started_at, amount=admission.amount, unit=admission.unit, zone=zone
            ),
        )
    pre_discharge = template_for(plan, TouchpointKind.PRE_DISCHARGE_INTERVIEW)
    if pre_discharge is not None:  # due when the discharge is known
        touchpoint_from_template(plan, pre_discharge, actor=actor, at=encounter.started_at)
    audit_record(
        actor=actor,
        action="careplan.open",
        obj=plan,
        summary=f"{plan.department.name} · {plan.owner or '—'}",
        changes={"owner": plan.owner_id},
    )
    return plan


@transaction.atomic
def care_plan_follow_transfer(*, encounter: Encounter, actor: Actor | None) -> CarePlan | None:
    """A stay moved to another department or ward (HL7 ADT^A02, the registry's transfer): its care plan,
    while the patient is still in hospital, moves with it — department, ward, the new ward's project
    manager (when it has one) and the open touchpoints' department — so the discharge follow-up is the
    receiving ward's. A plan already discharged or closed is left as it is."""
    plan = CarePlan.objects.select_for_update().filter(encounter=encounter).first()
    if plan is None or plan.status != PlanStatus.IN_STAY:
        return plan
    if (plan.department_id, plan.ward_id) == (encounter.department_id, encounter.ward_id):
        return plan
    before = (plan.department_id, plan.ward_id, plan.owner_id)
    plan.department_id, plan.ward_id = encounter.department_id, encounter.ward_id
    plan.owner = project_manager_for(encounter) or plan.owner
    plan.save(update_fields=["department", "ward", "owner", "updated_at"])
    plan.touchpoints.filter(status__in=OPEN_TOUCHPOINT).update(department_id=encounter.department_id)
    audit_record(
        actor=actor,
        action="careplan.transfer",
        obj=plan,
        summary=f"→ {encounter.department} {encounter.ward or ''}".strip(),
        changes={
            "department": [before[0], plan.department_id],
            "ward": [before[1], plan.ward_id],
            "owner": [before[2], plan.owner_id],
        },
    )
    return plan
