"""Helpers that put people through the centre with the real services (book, check in, queue, results)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from carebridge.checkup.models import Item, OrderedItem, Package, Room, Visit
from carebridge.checkup.services.flow import queue_call, queue_finish, queue_join
from carebridge.checkup.services.results import result_record
from carebridge.checkup.services.visits import visit_book, visit_check_in
from carebridge.checkup.tests.factories import CustomerFactory


def booked(
    *,
    centre: Any,
    actor: Any,
    patient: Any = None,
    package: Package | None = None,
    items: Iterable[Item] = (),
    day: dt.date | None = None,
    **fields: Any,
) -> Visit:
    person = patient or CustomerFactory(hospital=centre.hospital)
    return visit_book(
        patient=person,
        department=centre,
        scheduled_for=day or timezone.localdate(),
        actor=actor,
        package=package,
        extra_items=list(items),
        **fields,
    )


def checked_in(*, centre: Any, actor: Any, fasting: bool = True, **booking: Any) -> Visit:
    visit = booked(centre=centre, actor=actor, **booking)
    return visit_check_in(visit=visit, actor=actor, arrived_fasting=fasting)


def crowd(*, centre: Any, actor: Any, room: Room, item: Item, size: int) -> list[Visit]:
    """``size`` other people waiting at ``room`` (each ordered ``item`` there)."""
    people = []
    for _ in range(size):
        visit = checked_in(centre=centre, actor=actor, items=[item])
        queue_join(visit=visit, room=room, actor=actor)
        people.append(visit)
    return people


def walk_through(*, visit: Visit, room: Room, actor: Any) -> None:
    """Check in at the room, get called in, check out."""
    entry = queue_join(visit=visit, room=room, actor=actor)
    queue_call(entry=entry, actor=actor)
    queue_finish(entry=entry, actor=actor)


def order_of(visit: Visit, code: str) -> OrderedItem:
    return visit.orders.select_related("item").get(item__code=code)


def record(visit: Visit, code: str, value: str, actor: Any, unit: str = "", **kwargs: Any) -> Any:
    return result_record(order=order_of(visit, code), value=value, unit=unit, actor=actor, **kwargs)


def examined(
    *,
    centre: Any,
    actor: Any,
    catalogue: Any,
    values: dict[str, str],
    patient: Any = None,
    day: dt.date | None = None,
    **booking: Any,
) -> Visit:
    """A visit with the items of ``values`` resulted (code → value in the canonical unit), every room
    signed, and the person gone: ready for the chief examiner."""
    from carebridge.checkup.services.results import room_sign
    from carebridge.checkup.services.visits import visit_leave

    visit = checked_in(
        centre=centre,
        actor=actor,
        patient=patient,
        items=[catalogue.items[code] for code in values],
        day=day,
        **booking,
    )
    for code, value in values.items():
        record(visit, code, value, actor)
    for room_id in {catalogue.items[code].room_id for code in values}:
        room_sign(visit=visit, room=Room.objects.get(pk=room_id), actor=actor)
    return visit_leave(visit=visit, actor=actor)


def signed(*, visit: Visit, examiner: Any, summary: str = "未见明显异常。") -> Visit:
    from carebridge.checkup.services.review import findings_adopt, visit_examiner_saw, visit_sign

    visit_examiner_saw(visit=visit, actor=examiner)
    findings_adopt(visit=visit, actor=examiner)
    visit.refresh_from_db()
    return visit_sign(visit=visit, actor=examiner, summary=summary, prescriptions=visit.prescriptions)
