"""Writes of mystery-patient audits: open a round with its checklist, record a scored visit."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.core.models import Department, Hospital
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.surveys.models import AuditRound, AuditVisit, ChecklistItem


def checklist_score(checklist: list[ChecklistItem], answers: dict[str, bool]) -> float:
    """The weighted share of checklist items met, 0–100 (every item must be answered)."""
    total = sum(float(item["weight"]) for item in checklist)
    met = sum(float(item["weight"]) for item in checklist if answers[item["code"]])
    return round(met / total * 100, 2)


@transaction.atomic
def audit_round_create(
    *,
    hospital: Hospital,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    checklist: list[ChecklistItem],
    actor: Actor | None,
) -> AuditRound:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the round a name.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The round ends before it starts.")]
    codes = [str(item.get("code", "")) for item in checklist]
    if not checklist or len(set(codes)) != len(codes) or not all(codes):
        errors["checklist"] = [_("Give checklist items with distinct codes.")]
    elif any(
        float(item.get("weight", 0)) <= 0 or not str(item.get("text", "")).strip() for item in checklist
    ):
        errors["checklist"] = [_("Every item needs a text and a positive weight.")]
    if errors:
        raise ValidationError(errors)
    audit_round = AuditRound.objects.create(
        hospital=hospital, name=name.strip(), starts_on=starts_on, ends_on=ends_on, checklist=checklist
    )
    audit_record(actor=actor, action="audit_round.create", obj=audit_round, summary=audit_round.name)
    return audit_round


@transaction.atomic
def audit_visit_record(
    *,
    audit_round: AuditRound,
    department: Department,
    service_point: str,
    visited_at: dt.datetime,
    auditor: str,
    answers: dict[str, bool],
    notes: str = "",
    actor: Actor | None,
) -> AuditVisit:
    """Record one scored visit; every checklist item must be answered yes or no."""
    errors: dict[str, list[str]] = {}
    codes = {item["code"] for item in audit_round.checklist}
    if set(answers) != codes or not all(isinstance(v, bool) for v in answers.values()):
        errors["answers"] = [_("Answer every checklist item with yes or no.")]
    if department.hospital_id != audit_round.hospital_id:
        errors["department"] = [_("The department belongs to another hospital.")]
    if not service_point.strip():
        errors["service_point"] = [_("Say which service point was visited.")]
    if not auditor.strip():
        errors["auditor"] = [_("Give the auditor's code.")]
    try:
        require_aware(visited_at, field="visited_at")
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    visit = AuditVisit.objects.create(
        round=audit_round,
        department=department,
        service_point=service_point.strip()[:64],
        visited_at=visited_at,
        auditor=auditor.strip()[:32],
        answers=answers,
        score=checklist_score(audit_round.checklist, answers),
        notes=notes.strip(),
    )
    audit_record(actor=actor, action="audit_visit.record", obj=visit, summary=str(visit))
    return visit
