"""The room queues on the day (导检): a person checks in at a room (scan or click), is called in, checks
out; the guide nurse moves a person from one queue to another.

Checking out marks the room's items done for that person (the sample taken, the scan made) — the items
that could be done then: a 2-hour glucose drawn with the fasting tubes stays undone until its time.
Results may come later (the laboratory); what the next-room suggestion needs is what is still undone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carebridge.checkup.choices import OPEN_QUEUE, OrderStatus, QueueStatus, VisitStatus
from carebridge.checkup.domain.routing import PendingItem, PersonState, blocked_reason
from carebridge.checkup.models import OrderedItem, QueueEntry, Room, Visit
from carebridge.checkup.services.base import moment, require_centre, require_permission, user_or_none
from carebridge.core.services.audit import audit_record
from carebridge.core.types import Actor


def person_state(visit: Visit, *, now: dt.datetime, current_room_id: int | None = None) -> PersonState:
    return PersonState(
        now=now,
        arrived_fasting=visit.arrived_fasting,
        meal_at=visit.meal_at,
        pregnancy_possible=visit.pregnancy_possible,
        current_room_id=current_room_id,
    )


def undone_orders(visit: Visit) -> list[OrderedItem]:
    """Items not yet done in their room, without a result and not waived."""
    return list(
        visit.orders.filter(status=OrderStatus.ORDERED, performed_at__isnull=True)
        .select_related("item__room")
        .order_by("item__room__sequence", "item__sequence", "id")
    )


def pending_item(order: OrderedItem) -> PendingItem:
    item = order.item
    return PendingItem(
        item_id=item.pk, room_id=item.room_id, name=item.name, preparations=frozenset(item.preparations)
    )


def _check_room(visit: Visit, room: Room) -> None:
    if room.department_id != visit.department_id or not room.is_active:
        raise ValidationError({"room": [_("This room is not part of the person's centre.")]})


def queue_close_open(*, visit: Visit, at: dt.datetime) -> int:
    """Close the visit's open queue entries (the person left the centre); how many were open."""
    return QueueEntry.objects.filter(visit=visit, status__in=OPEN_QUEUE).update(
        status=QueueStatus.LEFT, finished_at=at
    )


@transaction.atomic
def queue_join(*, visit: Visit, room: Room, actor: Actor, at: dt.datetime | None = None) -> QueueEntry:
    """Check a person in at a room (the room scans the guide sheet). Joining one queue leaves a queue the
    person was still waiting in; someone inside another room must be checked out there first."""
    require_permission(actor, "checkup.change_queueentry", _("You are not allowed to work the room queues."))
    require_centre(actor, visit.department)
    now = moment(at)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    _check_room(locked, room)
    if locked.status != VisitStatus.CHECKED_IN:
        raise ValidationError({"visit": [_("The person is not checked in at the centre.")]})
    open_entries = list(QueueEntry.objects.filter(visit=locked, status__in=OPEN_QUEUE).select_related("room"))
    for entry in open_entries:
        if entry.room_id == room.pk:
            return entry
        if entry.status == QueueStatus.IN_SERVICE:
            raise ValidationError(
                {
                    "room": [
                        _("The person is still inside %(room)s; check them out there first.")
                        % {"room": entry.room.name}
                    ]
                }
            )
    if not any(order.item.room_id == room.pk for order in undone_orders(locked)):
        raise ValidationError({"room": [_("Nothing ordered for this person is still undone in this room.")]})
    QueueEntry.objects.filter(pk__in=[e.pk for e in open_entries]).update(
        status=QueueStatus.LEFT, finished_at=now
    )
    entry = QueueEntry.objects.create(
        visit=locked, room=room, joined_at=now, joined_by=user_or_none(actor), status=QueueStatus.WAITING
    )
    audit_record(
        actor=actor, action="checkup.queue.join", obj=entry, summary=f"{locked.number} → {room.name}"
    )
    return entry


@transaction.atomic
def queue_call(*, entry: QueueEntry, actor: Actor, at: dt.datetime | None = None) -> QueueEntry:
    """Call the person into the room."""
    require_permission(actor, "checkup.change_queueentry", _("You are not allowed to work the room queues."))
    locked = QueueEntry.objects.select_for_update().select_related("visit__department").get(pk=entry.pk)
    require_centre(actor, locked.visit.department)
    if locked.status != QueueStatus.WAITING:
        raise ValidationError({"entry": [_("The person is not waiting at this room.")]})
    locked.status = QueueStatus.IN_SERVICE
    locked.started_at = moment(at)
    locked.save(update_fields=["status", "started_at"])
    audit_record(actor=actor, action="checkup.queue.call", obj=locked, summary=str(locked.visit_id))
    return locked


@transaction.atomic
def queue_finish(
    *,
    entry: QueueEntry,
    actor: Actor,
    at: dt.datetime | None = None,
    item_ids: Iterable[int] | None = None,
) -> QueueEntry:
    """Check the person out of the room: the room's items that could be done now are marked done
    (``item_ids`` narrows them to what was actually done)."""
    require_permission(actor, "checkup.change_queueentry", _("You are not allowed to work the room queues."))
    locked = (
        QueueEntry.objects.select_for_update().select_related("visit__department", "room").get(pk=entry.pk)
    )
    require_centre(actor, locked.visit.department)
    if locked.status not in OPEN_QUEUE:
        raise ValidationError({"entry": [_("The person is no longer in this room's queue.")]})
    now = moment(at)
    state = person_state(locked.visit, now=now)
    wanted = set(item_ids) if item_ids is not None else None
    done = [
        order.pk
        for order in undone_orders(locked.visit)
        if order.item.room_id == locked.room_id
        and blocked_reason(pending_item(order), state) is None
        and (wanted is None or order.item_id in wanted)
    ]
    OrderedItem.objects.filter(pk__in=done).update(performed_at=now)
    locked.status = QueueStatus.DONE
    locked.started_at = locked.started_at or now
    locked.finished_at = now
    locked.save(update_fields=["status", "started_at", "finished_at"])
    audit_record(
        actor=actor,
        action="checkup.queue.finish",
        obj=locked,
        summary=f"{locked.room.name}: {len(done)}",
        changes={"orders_done": done},
    )
    return locked


@transaction.atomic
def queue_move(
    *, visit: Visit, room: Room, actor: Actor, reason: str = "", at: dt.datetime | None = None
) -> QueueEntry:
    """The guide nurse sends a person to another room's queue (to spread the crowd)."""
    require_permission(
        actor, "checkup.move_queueentry", _("Only the guide nurse moves people between queues.")
    )
    require_centre(actor, visit.department)
    now = moment(at)
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    _check_room(locked, room)
    if locked.status != VisitStatus.CHECKED_IN:
        raise ValidationError({"visit": [_("The person is not checked in at the centre.")]})
    if not any(order.item.room_id == room.pk for order in undone_orders(locked)):
        raise ValidationError({"room": [_("Nothing ordered for this person is still undone in this room.")]})
    current = QueueEntry.objects.filter(visit=locked, status__in=OPEN_QUEUE).select_related("room").first()
    if current is not None and current.room_id == room.pk:
        return current
    if current is not None:
        if current.status == QueueStatus.IN_SERVICE:
            raise ValidationError(
                {"room": [_("The person is inside %(room)s now.") % {"room": current.room.name}]}
            )
        current.status = QueueStatus.MOVED
        current.finished_at = now
        current.note = reason.strip()[:255]
        current.save(update_fields=["status", "finished_at", "note"])
    entry = QueueEntry.objects.create(
        visit=locked,
        room=room,
        joined_at=now,
        joined_by=user_or_none(actor),
        status=QueueStatus.WAITING,
        note=reason.strip()[:255],
    )
    audit_record(
        actor=actor,
        action="checkup.queue.move",
        obj=entry,
        summary=f"{locked.number}: {current.room.name if current else '—'} → {room.name}",
    )
    return entry
