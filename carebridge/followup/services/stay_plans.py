"""Writes of the stay plan (住院方案, 篇4 1.1(1)) and the admission interview's introduction checklist.

The project manager makes the stay plan with the attending doctor and the nurse, who are recorded as
having agreed it; each item is then closed as done (or dropped, with a reason). The introduction
checklist records which of the seed's topics (experts, techniques, specialties, outcomes, prognosis,
service flow) were introduced at the admission interview. One transaction and one audit row each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Staff
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware
from carebridge.followup.choices import IntroductionTopic, PlanStatus, StayItemStatus, TouchpointKind
from carebridge.followup.models import CarePlan, StayItemTransition, StayPlan, StayPlanItem, Touchpoint


class ItemInput(TypedDict, total=False):
    text: str
    owner: Staff | None
    due_on: dt.date | None


def _clean_items(items: Iterable[ItemInput], hospital_id: int) -> tuple[list[ItemInput], list[str]]:
    clean: list[ItemInput] = []
    errors: list[str] = []
    for item in items:
        text = str(item.get("text", "")).strip()
        if not text:
            continue
        owner = item.get("owner")
        if owner is not None and owner.hospital_id != hospital_id:
            errors.append(_("Every owner must work at the plan's hospital."))
        clean.append(ItemInput(text=text[:255], owner=owner, due_on=item.get("due_on")))
    return clean, errors


@transaction.atomic
def stay_plan_agree(
    *,
    plan: CarePlan,
    doctor: Staff,
    nurse: Staff,
    items: Iterable[ItemInput],
    actor: Actor,
    agreed_at: dt.datetime | None = None,
    notes: str = "",
) -> StayPlan:
    """Record the stay plan agreed with the attending doctor and the nurse, with its items (at least
    one). A plan has one stay plan; later items are added with :func:`stay_item_add`."""
    when = agreed_at or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        require_aware(when, field="agreed_at")
    except ValidationError as error:
        errors.update(error.message_dict)
    else:
        if when < plan.admitted_at:
            errors["agreed_at"] = [_("The plan cannot be agreed before the admission.")]
        elif when > timezone.now() + dt.timedelta(minutes=5):
            errors["agreed_at"] = [_("The date is in the future.")]
    if plan.status != PlanStatus.IN_STAY:
        errors["plan"] = [_("A stay plan is made during the stay.")]
    if StayPlan.objects.filter(plan=plan).exists():
        errors["plan"] = [_("This stay already has its plan.")]
    if doctor.hospital_id != plan.hospital_id or nurse.hospital_id != plan.hospital_id:
        errors["doctor"] = [_("The doctor and the nurse must work at the plan's hospital.")]
    if doctor.pk == nurse.pk:
        errors["nurse"] = [_("The doctor and the nurse are two people.")]
    clean, item_errors = _clean_items(items, plan.hospital_id)
    if item_errors:
        errors["items"] = item_errors[:1]
    elif not clean:
        errors["items"] = [_("Write at least one agreed item.")]
    if errors:
        raise ValidationError(errors)
    stay_plan = StayPlan.objects.create(
        plan=plan,
        hospital_id=plan.hospital_id,
        department_id=plan.department_id,
        project_manager_id=plan.owner_id,
        doctor=doctor,
        nurse=nurse,
        agreed_at=when,
        notes=notes.strip(),
    )
    StayPlanItem.objects.bulk_create(
        StayPlanItem(
            stay_plan=stay_plan,
            sequence=number,
            text=item["text"],
            owner=item.get("owner"),
            due_on=item.get("due_on"),
        )
        for number, item in enumerate(clean, start=1)
    )
    audit_record(
        actor=actor,
        action="stay_plan.agree",
        obj=stay_plan,
        summary=str(plan),
        changes={"doctor": doctor.pk, "nurse": nurse.pk, "items": len(clean)},
    )
    return stay_plan


@transaction.atomic
def stay_item_add(*, stay_plan: StayPlan, item: ItemInput, actor: Actor) -> StayPlanItem:
    """Add an item agreed later in the stay."""
    clean, errors = _clean_items([item], stay_plan.hospital_id)
    if errors:
        raise ValidationError({"owner": errors[:1]})
    if not clean:
        raise ValidationError({"text": [_("Write the item.")]})
    locked = StayPlan.objects.select_for_update().get(pk=stay_plan.pk)
    last = locked.items.aggregate(last=Max("sequence"))["last"] or 0
    row = StayPlanItem.objects.create(
        stay_plan=locked,
        sequence=last + 1,
        text=clean[0]["text"],
        owner=clean[0].get("owner"),
        due_on=clean[0].get("due_on"),
    )
    audit_record(actor=actor, action="stay_plan.item_add", obj=locked, summary=row.text)
    return row


@transaction.atomic
def stay_item_close(
    *, item: StayPlanItem, to: str, actor: Actor, note: str = "", at: dt.datetime | None = None
) -> StayPlanItem:
    """Close an open item as done, or drop it (a reason is required to drop); the change is kept as a
    transition row (who, when, from → to, why), the item's history."""
    locked = StayPlanItem.objects.select_for_update().get(pk=item.pk)
    errors: dict[str, list[str]] = {}
    if to not in (StayItemStatus.DONE, StayItemStatus.DROPPED):
        errors["to"] = [_("Unknown value: %(value)s.") % {"value": to}]
    if locked.status != StayItemStatus.OPEN:
        errors["item"] = [_("This item is already closed.")]
    if to == StayItemStatus.DROPPED and not note.strip():
        errors["note"] = [_("Say why the item is dropped.")]
    if errors:
        raise ValidationError(errors)
    previous = locked.status
    user: Any = actor if getattr(actor, "is_authenticated", False) else None
    locked.status = to
    locked.closed_at = at or timezone.now()
    locked.closed_by = user
    locked.note = note.strip()[:255]
    locked.save(update_fields=["status", "closed_at", "closed_by", "note"])
    StayItemTransition.objects.create(
        item=locked,
        at=locked.closed_at,
        actor=user,
        from_status=previous,
        to_status=to,
        reason=note.strip(),
    )
    audit_record(
        actor=actor,
        action=f"stay_plan.item_{to}",
        obj=locked.stay_plan,
        summary=locked.text,
        changes={"item": locked.pk, "status": to},
    )
    return locked


def introduction_clean(topics: Iterable[str]) -> dict[str, object]:
    """The checklist as stored on the admission interview: the topics covered (in the seed's order) and
    whether all were. Unknown topics are refused."""
    wanted = {str(t) for t in topics}
    unknown = wanted - set(IntroductionTopic.values)
    if unknown:
        raise ValidationError(
            {"introduction": [_("Unknown value: %(value)s.") % {"value": ", ".join(sorted(unknown))}]}
        )
    covered = [t for t in IntroductionTopic.values if t in wanted]
    return {"covered": covered, "complete": len(covered) == len(IntroductionTopic.values)}


@transaction.atomic
def introduction_record(*, touchpoint: Touchpoint, topics: Iterable[str], actor: Actor) -> Touchpoint:
    """Record (or correct) the introduction checklist of an admission interview."""
    locked = Touchpoint.objects.select_for_update(of=("self",)).get(pk=touchpoint.pk)
    if locked.kind != TouchpointKind.ADMISSION_INTERVIEW:
        raise ValidationError({"introduction": [_("The introduction is made at the admission interview.")]})
    checklist = introduction_clean(topics)
    locked.data = {**(locked.data or {}), "introduction": checklist}
    locked.save(update_fields=["data", "updated_at"])
    audit_record(
        actor=actor,
        action="touchpoint.introduction",
        obj=locked,
        summary=locked.title,
        changes={"covered": checklist["covered"]},
    )
    return locked
