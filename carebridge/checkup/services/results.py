"""Filing results: one service, :func:`result_record`, for the room's form, the API and (later) the
intake of HL7 v2, FHIR and CSV. The value is checked against the item's kind, converted to the item's
canonical unit, compared with the reference range for the person's sex and age, flagged, stored, and
announced (``domain.events.result_recorded``) inside the same transaction.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.checkup.choices import RESULT_STATUSES, ItemKind, OrderStatus, ResultFlag, ResultSource
from carebridge.checkup.domain import ranges as ref
from carebridge.checkup.domain.events import result_recorded
from carebridge.checkup.domain.units import UnitError, convert, normalise_unit
from carebridge.checkup.models import Item, OrderedItem, Result, Room, RoomSignoff, Visit
from carebridge.checkup.services.base import moment, require_centre, require_permission, user_of, user_or_none
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor

STORED_PLACES = Decimal("0.0001")


def item_ranges(item: Item) -> list[ref.Range]:
    return [
        ref.Range(r.sex, r.age_min, r.age_max, r.low, r.high, r.normal_grade, r.text)
        for r in item.ranges.all()
    ]


def _parse(item: Item, value: str, unit: str) -> tuple[Decimal | None, str, str, str]:
    """``(numeric value in the canonical unit, text value, canonical unit, entered unit)``."""
    raw = value.strip()
    if not raw:
        raise ValidationError({"value": [_("Enter a value.")]})
    if item.kind == ItemKind.NUMERIC:
        try:
            number = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise ValidationError({"value": [_("Enter a number.")]}) from None
        if not number.is_finite():
            raise ValidationError({"value": [_("Enter a number.")]})
        try:
            entered_unit = normalise_unit(unit) if unit.strip() else item.unit
            canonical = convert(
                number, unit=entered_unit, canonical=item.unit, analyte=item.analyte, item_name=item.name
            )
        except UnitError as error:
            raise ValidationError({"unit": [str(error)]}) from None
        return canonical.quantize(STORED_PLACES), "", item.unit, entered_unit
    if unit.strip():
        raise ValidationError({"unit": [_("%(item)s has no unit.") % {"item": item.name}]})
    try:
        if item.kind == ItemKind.GRADE:
            return None, ref.normalise_grade(raw), "", ""
        if item.kind == ItemKind.POSNEG:
            return None, ref.normalise_posneg(raw), "", ""
    except ValueError as error:
        raise ValidationError({"value": [str(error)]}) from None
    if item.kind == ItemKind.CODED:
        codes = {c.code for c in item.coded_values.all()}
        if raw not in codes:
            raise ValidationError(
                {"value": [_("Choose one of the findings of %(item)s.") % {"item": item.name}]}
            )
    return None, raw[:255], "", ""


def _flag(item: Item, reference: ref.Range | None, numeric: Decimal | None, text: str) -> str:
    if item.kind == ItemKind.NUMERIC and numeric is not None:
        return ref.flag_numeric(numeric, reference)
    if item.kind == ItemKind.GRADE:
        return ref.flag_grade(text, reference)
    if item.kind == ItemKind.POSNEG:
        return ref.flag_posneg(text)
    if item.kind == ItemKind.CODED:
        return ref.flag_coded(text, [c.code for c in item.coded_values.all() if c.is_abnormal])
    return ResultFlag.NORMAL


@transaction.atomic
def result_record(
    *,
    order: OrderedItem,
    value: str,
    actor: Actor | None,
    unit: str = "",
    at: dt.datetime | None = None,
    source: str = ResultSource.ROOM,
    source_key: str | None = None,
    comment: str = "",
    room: Room | None = None,
    correction_reason: str = "",
) -> Result:
    """File the result of an ordered item. A unit that cannot be converted, a value that does not fit
    the item, or a visit already signed is refused and nothing is stored. A second result for the same
    item is a correction and needs ``correction_reason``. A re-delivered ``source_key`` returns the
    stored result unchanged."""
    if source_key:
        existing = Result.objects.filter(source_key=source_key).first()
        if existing is not None:
            return existing
    if actor is not None:
        require_permission(actor, "checkup.add_result", _("You are not allowed to enter results."))
    locked = (
        OrderedItem.objects.select_for_update()
        .select_related("visit__patient", "visit__department", "item")
        .get(pk=order.pk)
    )
    visit: Visit = locked.visit
    if actor is not None:
        require_centre(actor, visit.department)
    if source not in ResultSource.values:
        raise ValidationError({"source": [_("Unknown source.")]})
    if visit.status not in RESULT_STATUSES:
        raise ValidationError(
            {"visit": [_("Results are filed between check-in and the chief examiner's signature.")]}
        )
    if locked.status == OrderStatus.WAIVED:
        raise ValidationError(
            {"order": [_("This item was waived: %(reason)s") % {"reason": locked.waived_reason}]}
        )
    previous = Result.objects.filter(order=locked).first()
    if previous is not None and not correction_reason.strip():
        raise ValidationError({"correction_reason": [_("This item has a result; say why it is corrected.")]})
    item = locked.item
    now = moment(at)
    numeric, text, canonical_unit, entered_unit = _parse(item, value, unit)
    reference = ref.pick_range(
        item_ranges(item),
        sex=visit.patient.sex,
        age=ref.age_on(visit.patient.birth_date, visit.scheduled_for),
    )
    fields = {
        "visit": visit,
        "item": item,
        "value_numeric": numeric,
        "value_text": text,
        "unit": canonical_unit,
        "entered_value": value.strip()[:255],
        "entered_unit": entered_unit,
        "ref_low": reference.low if reference else None,
        "ref_high": reference.high if reference else None,
        "ref_text": reference.display(item.decimals) if reference else "",
        "flag": _flag(item, reference, numeric, text),
        "comment": comment.strip(),
        "room": room or item.room,
        "source": source,
        "source_key": source_key or None,
        "recorded_by": user_or_none(actor),
        "recorded_at": now,
    }
    before: dict[str, str] = {}
    if previous is None:
        result = Result.objects.create(order=locked, **fields)
    else:
        before = {"value": previous.entered_value, "unit": previous.entered_unit, "flag": previous.flag}
        for name, field_value in fields.items():
            setattr(previous, name, field_value)
        previous.save()
        result = previous
        # A corrected result invalidates the room's signature on it.
        if result.room_id is not None:
            RoomSignoff.objects.filter(visit=visit, room_id=result.room_id).delete()
    locked.status = OrderStatus.RESULTED
    locked.performed_at = locked.performed_at or now
    locked.save(update_fields=["status", "performed_at"])
    audit_record(
        actor=actor,
        action="checkup.result.correct" if previous is not None else "checkup.result.record",
        obj=result,
        summary=f"{visit.number} {item.name} {result.entered_value} {result.entered_unit}".strip()[:255],
        changes=(
            {"before": before, "reason": correction_reason.strip()}
            if previous is not None
            else {"flag": result.flag}
        ),
    )
    result_recorded.send(sender=Result, result=result, created=previous is None, actor=actor)
    return result


@transaction.atomic
def room_sign(*, visit: Visit, room: Room, actor: Actor, at: dt.datetime | None = None) -> RoomSignoff:
    """The room's doctor signs its part of the visit: every item of the room has a result or is waived."""
    require_permission(actor, "checkup.add_roomsignoff", _("You are not allowed to sign for a room."))
    require_centre(actor, visit.department)
    open_items = [
        order.item.name
        for order in visit.orders.filter(item__room=room, status=OrderStatus.ORDERED).select_related("item")
    ]
    if open_items:
        raise ValidationError(
            {"room": [_("Still without a result: %(items)s.") % {"items": "、".join(open_items)}]}
        )
    if not visit.orders.filter(item__room=room).exists():
        raise ValidationError({"room": [_("Nothing was ordered in this room.")]})
    signoff, created = RoomSignoff.objects.get_or_create(
        visit=visit, room=room, defaults={"signed_by": user_of(actor), "signed_at": moment(at)}
    )
    if created:
        audit_record(
            actor=actor, action="checkup.room.sign", obj=signoff, summary=f"{visit.number} {room.name}"
        )
    return signoff
