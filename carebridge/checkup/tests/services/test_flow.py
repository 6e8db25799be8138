"""Room queues: check in at a room, call in, check out (items done), the guide nurse's move."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carebridge.checkup.models import QueueEntry
from carebridge.checkup.services.flow import queue_call, queue_finish, queue_join, queue_move
from carebridge.checkup.services.visits import visit_leave, visit_meal_record
from carebridge.checkup.tests.support.people import checked_in, order_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def test_checking_out_marks_the_rooms_doable_items_done_and_leaves_the_two_hour_sample(
    catalogue, centre, staff_chen, customer
):
    visit = checked_in(centre=centre, actor=staff_chen, patient=customer, package=catalogue.packages["M-40"])
    entry = queue_join(visit=visit, room=catalogue.rooms["BLD"], actor=staff_chen)
    queue_call(entry=entry, actor=staff_chen)
    entry = queue_finish(entry=entry, actor=staff_chen)
    assert entry.status == "done" and entry.finished_at is not None
    assert order_of(visit, "GLU").performed_at is not None
    assert order_of(visit, "GLU2H").performed_at is None  # after breakfast, two hours later


def test_the_two_hour_sample_is_drawn_on_a_second_visit_to_the_blood_draw(
    clock, catalogue, centre, staff_chen, customer
):
    visit = checked_in(centre=centre, actor=staff_chen, patient=customer, package=catalogue.packages["M-40"])
    queue_finish(
        entry=queue_join(visit=visit, room=catalogue.rooms["BLD"], actor=staff_chen), actor=staff_chen
    )
    visit_meal_record(visit=visit, actor=staff_chen)
    clock.shift(dt.timedelta(minutes=125))
    queue_finish(
        entry=queue_join(visit=visit, room=catalogue.rooms["BLD"], actor=staff_chen), actor=staff_chen
    )
    assert order_of(visit, "GLU2H").performed_at is not None


def test_joining_a_room_with_nothing_undone_is_refused(catalogue, centre, staff_chen, customer):
    visit = checked_in(centre=centre, actor=staff_chen, patient=customer, items=[catalogue.items["GLU"]])
    with pytest.raises(ValidationError, match="Nothing ordered"):
        queue_join(visit=visit, room=catalogue.rooms["ECG"], actor=staff_chen)


def test_joining_another_room_leaves_the_queue_one_was_waiting_in(catalogue, centre, staff_chen, customer):
    visit = checked_in(
        centre=centre,
        actor=staff_chen,
        patient=customer,
        items=[catalogue.items["GLU"], catalogue.items["ECG"]],
    )
    first = queue_join(visit=visit, room=catalogue.rooms["BLD"], actor=staff_chen)
    queue_join(visit=visit, room=catalogue.rooms["ECG"], actor=staff_chen)
    first.refresh_from_db()
    assert first.status == "left"
    assert QueueEntry.objects.filter(visit=visit, status="waiting").get().room == catalogue.rooms["ECG"]


def test_someone_inside_a_room_must_be_checked_out_before_joining_another(
    catalogue, centre, staff_chen, customer
):
    visit = checked_in(
        centre=centre,
        actor=staff_chen,
        patient=customer,
        items=[catalogue.items["GLU"], catalogue.items["ECG"]],
    )
    queue_call(entry=queue_join(visit=visit, room=catalogue.rooms["BLD"], actor=staff_chen), actor=staff_chen)
    with pytest.raises(ValidationError, match="still inside"):
        queue_join(visit=visit, room=catalogue.rooms["ECG"], actor=staff_chen)


def test_the_guide_nurse_moves_a_waiting_person_and_the_move_is_kept(
    catalogue, centre, staff_chen, nurse_gu, customer
):
    visit = checked_in(
        centre=centre,
        actor=staff_chen,
        patient=customer,
        items=[catalogue.items["GLU"], catalogue.items["ECG"]],
    )
    queue_join(visit=visit, room=catalogue.rooms["BLD"], actor=staff_chen)
    entry = queue_move(visit=visit, room=catalogue.rooms["ECG"], actor=nurse_gu, reason="采血室排队过长")
    assert entry.room == catalogue.rooms["ECG"] and entry.joined_by == nurse_gu
    assert QueueEntry.objects.get(visit=visit, status="moved").note == "采血室排队过长"


def test_only_the_guide_nurse_moves_people(catalogue, centre, staff_chen, customer):
    visit = checked_in(centre=centre, actor=staff_chen, patient=customer, items=[catalogue.items["ECG"]])
    with pytest.raises(PermissionDenied):
        queue_move(visit=visit, room=catalogue.rooms["ECG"], actor=staff_chen)


def test_leaving_the_centre_closes_the_open_queue_entries(catalogue, centre, staff_chen, customer):
    visit = checked_in(centre=centre, actor=staff_chen, patient=customer, items=[catalogue.items["ECG"]])
    entry = queue_join(visit=visit, room=catalogue.rooms["ECG"], actor=staff_chen)
    visit_leave(visit=visit, actor=staff_chen)
    entry.refresh_from_db()
    assert entry.status == "left"
