"""Reads of the day's flow: each room's queue and expected wait, a person's next room, and the guide
nurse's board (every room, everybody in the centre with their undone items and suggestion).

The board is a handful of queries whatever the crowd: the checked-in visits, their undone items, the
open queue entries and the queue lengths; the suggestions are computed in memory (``domain.routing``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from carebridge.checkup.choices import OPEN_QUEUE, OrderStatus, QueueStatus, SuggestionKind, VisitStatus
from carebridge.checkup.domain.routing import PendingItem, RoomLoad, Suggestion, remembered_gettext, suggest
from carebridge.checkup.models import Item, OrderedItem, QueueEntry, Room, Visit
from carebridge.checkup.services.flow import person_state
from carebridge.core.scope import restrict
from carebridge.core.types import Actor


def _day_start(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


def room_loads(*, department_id: int, now: dt.datetime | None = None) -> dict[int, RoomLoad]:
    """Every active room of the centre with the people ahead in it today (waiting or inside)."""
    since = _day_start(now or timezone.now())
    open_today = Q(queue_entries__status__in=OPEN_QUEUE, queue_entries__joined_at__gte=since)
    rooms = (
        Room.objects.filter(department_id=department_id, is_active=True)
        .annotate(ahead=Count("queue_entries", filter=open_today))
        .order_by("sequence", "code", "id")
    )
    return {
        room.pk: RoomLoad(
            room_id=room.pk,
            name=room.name,
            ahead=room.ahead,
            stations=room.stations,
            service_minutes=room.service_minutes,
            sequence=room.sequence,
        )
        for room in rooms
    }


def _undone(visit_ids: list[int]) -> dict[int, list[PendingItem]]:
    """Each visit's items not yet done in their room. A board has thousands of them: the rows are plain
    ids, and each item's room, name and preparation come from one read of the items involved."""
    rows = list(
        OrderedItem.objects.filter(
            visit_id__in=visit_ids, status=OrderStatus.ORDERED, performed_at__isnull=True
        )
        .order_by("visit_id", "item__sequence", "id")
        .values_list("visit_id", "item_id")
    )
    items = {
        item_id: PendingItem(item_id, room_id, name, frozenset(preparations or ()))
        for item_id, room_id, name, preparations in Item.objects.filter(
            pk__in={item_id for _visit, item_id in rows}
        ).values_list("id", "room_id", "name", "preparations")
    }
    found: dict[int, list[PendingItem]] = defaultdict(list)
    for visit_id, item_id in rows:
        found[visit_id].append(items[item_id])
    return found


def next_room(*, visit: Visit, now: dt.datetime | None = None) -> Suggestion:
    """Where the person should go now (see ``domain.routing``)."""
    moment = now or timezone.now()
    current = (
        QueueEntry.objects.filter(visit=visit, status__in=OPEN_QUEUE)
        .values_list("room_id", flat=True)
        .first()
    )
    state = person_state(visit, now=moment, current_room_id=current)
    return suggest(
        _undone([visit.pk])[visit.pk],
        room_loads(department_id=visit.department_id, now=moment),
        state,
    )


@dataclass(frozen=True)
class Whereabouts:
    """The room a person is queuing at or inside now."""

    room_id: int
    room_name: str
    status: str


@dataclass
class BoardRow:
    """One person on the board, with the texts the page shows already composed (the page renders
    hundreds of rows every few seconds: no lookups, filters or queries per row in the template)."""

    visit: Visit
    current: Whereabouts | None
    undone: list[str]
    suggestion: Suggestion
    now_text: str = ""
    undone_text: str = ""
    next_text: str = ""
    still_fasting: bool = False
    detail_url: str = ""
    move_url: str = ""


@dataclass
class RoomRow:
    load: RoomLoad
    waiting: int = 0
    inside: int = 0
    people: list[str] = field(default_factory=list)


@dataclass
class Board:
    rooms: list[RoomRow]
    people: list[BoardRow]
    now: dt.datetime


def board(*, user: Actor, department_id: int, now: dt.datetime | None = None) -> Board:
    """The guide nurse's board for a centre: every room's queue and wait, everybody checked in today."""
    moment = now or timezone.now()
    loads = room_loads(department_id=department_id, now=moment)
    visits = list(
        restrict(Visit.objects.all(), user)
        .filter(
            department_id=department_id,
            status=VisitStatus.CHECKED_IN,
            scheduled_for=timezone.localdate(moment),
        )
        .select_related("patient")
        .only(
            "id",
            "number",
            "patient__name",
            "arrived_fasting",
            "meal_at",
            "pregnancy_possible",
            "checked_in_at",
        )
        .order_by("checked_in_at", "id")
    )
    ids = [visit.pk for visit in visits]
    undone = _undone(ids)
    current: dict[int, Whereabouts] = {}
    rooms = {room_id: RoomRow(load=load) for room_id, load in loads.items()}
    entries = (
        QueueEntry.objects.filter(visit_id__in=ids, status__in=OPEN_QUEUE)
        .order_by("joined_at", "id")
        .values_list("visit_id", "room_id", "status")
    )
    statuses = dict(QueueStatus.choices)
    kinds = dict(SuggestionKind.choices)
    translate = remembered_gettext()
    minutes = translate("min")
    names = {visit.pk: visit.patient.name for visit in visits}
    for visit_id, room_id, status in entries:
        row = rooms.get(room_id)
        current[visit_id] = Whereabouts(room_id, row.load.name if row else "", status)
        if row is not None:
            if status == QueueStatus.WAITING:
                row.waiting += 1
            else:
                row.inside += 1
            row.people.append(names.get(visit_id, ""))
    people = []
    for visit in visits:
        here = current.get(visit.pk)
        state = person_state(visit, now=moment, current_room_id=here.room_id if here else None)
        pending = undone.get(visit.pk, [])
        suggestion = suggest(pending, loads, state, translate)
        names_undone = [item.name for item in pending]
        people.append(
            BoardRow(
                visit=visit,
                current=here,
                undone=names_undone,
                suggestion=suggestion,
                now_text=f"{here.room_name} · {statuses.get(here.status, '')}" if here else "—",
                undone_text="、".join(names_undone) or "—",
                next_text=(
                    f"{suggestion.room_name} (≈{suggestion.expected_wait} {minutes})"
                    if suggestion.room_name
                    else str(kinds.get(suggestion.kind, ""))
                ),
                still_fasting=visit.arrived_fasting and visit.meal_at is None,
            )
        )
    return Board(rooms=list(rooms.values()), people=people, now=moment)


def room_queue(*, room: Room) -> QuerySet[QueueEntry]:
    """The people waiting at or inside a room, first come first."""
    return (
        QueueEntry.objects.filter(room=room, status__in=OPEN_QUEUE)
        .select_related("visit__patient")
        .order_by("joined_at", "id")
    )
