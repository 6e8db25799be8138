"""The next room on a built scenario (issue #11): a person checked in fasting is sent to the blood draw
before the breakfast items; afterwards the suggestion follows the queues and changes when another
room's queue grows. And the guide nurse's board."""

from __future__ import annotations

import pytest

from carebridge.checkup.selectors.flow import board, next_room, room_loads
from carebridge.checkup.services.flow import queue_join
from carebridge.checkup.services.visits import visit_meal_record
from carebridge.checkup.tests.factories import ItemFactory, RoomFactory
from carebridge.checkup.tests.support.people import checked_in, crowd, walk_through

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


@pytest.fixture
def rooms(centre):
    blood = RoomFactory(department=centre, name="采血室", stations=2, service_minutes=3, sequence=1)
    ecg = RoomFactory(department=centre, name="心电图室", stations=1, service_minutes=5, sequence=2)
    internal = RoomFactory(department=centre, name="内科", stations=1, service_minutes=4, sequence=3)
    return {
        "blood": blood,
        "ecg": ecg,
        "internal": internal,
        "glucose": ItemFactory(room=blood, name="空腹血糖", preparations=["fasting"]),
        "ekg": ItemFactory(room=ecg, name="心电图", kind="text", unit=""),
        "exam": ItemFactory(room=internal, name="内科检查", kind="text", unit=""),
    }


def test_a_person_checked_in_fasting_is_sent_to_the_blood_draw_before_breakfast_items(
    centre, staff_chen, rooms
):
    crowd(centre=centre, actor=staff_chen, room=rooms["blood"], item=rooms["glucose"], size=6)
    person = checked_in(
        centre=centre, actor=staff_chen, fasting=True, items=[rooms["glucose"], rooms["ekg"], rooms["exam"]]
    )
    loads = room_loads(department_id=centre.pk)
    assert loads[rooms["blood"].pk].expected_wait == 9 > loads[rooms["ecg"].pk].expected_wait == 0

    advice = next_room(visit=person)

    assert advice.kind == "room" and advice.room_id == rooms["blood"].pk
    assert advice.alternatives == ()  # only fasting rooms are candidates before breakfast


def test_after_the_blood_draw_the_suggestion_follows_the_queues_and_changes_when_one_grows(
    centre, staff_chen, rooms
):
    person = checked_in(
        centre=centre, actor=staff_chen, fasting=True, items=[rooms["glucose"], rooms["ekg"], rooms["exam"]]
    )
    walk_through(visit=person, room=rooms["blood"], actor=staff_chen)
    visit_meal_record(visit=person, actor=staff_chen)
    crowd(centre=centre, actor=staff_chen, room=rooms["internal"], item=rooms["exam"], size=2)  # 8 min
    crowd(centre=centre, actor=staff_chen, room=rooms["ecg"], item=rooms["ekg"], size=1)  # 5 min

    assert next_room(visit=person).room_id == rooms["ecg"].pk

    crowd(centre=centre, actor=staff_chen, room=rooms["ecg"], item=rooms["ekg"], size=2)  # now 15 min

    advice = next_room(visit=person)
    assert advice.room_id == rooms["internal"].pk and advice.expected_wait == 8
    assert [(o.room_id, o.expected_wait) for o in advice.alternatives] == [(rooms["ecg"].pk, 15)]


def test_the_board_shows_every_room_and_each_persons_undone_items(centre, staff_chen, nurse_gu, rooms):
    first = checked_in(centre=centre, actor=staff_chen, items=[rooms["glucose"], rooms["ekg"]])
    second = checked_in(centre=centre, actor=staff_chen, fasting=False, items=[rooms["ekg"], rooms["exam"]])
    queue_join(visit=first, room=rooms["blood"], actor=staff_chen)
    walk_through(visit=second, room=rooms["ecg"], actor=staff_chen)

    today = board(user=nurse_gu, department_id=centre.pk)

    by_room = {row.load.name: (row.waiting, row.inside) for row in today.rooms}
    assert by_room == {"采血室": (1, 0), "心电图室": (0, 0), "内科": (0, 0)}
    people = {row.visit.pk: row for row in today.people}
    assert (
        people[first.pk].undone == ["空腹血糖", "心电图"]
        and people[first.pk].current.room_id == rooms["blood"].pk
    )
    assert people[second.pk].undone == ["内科检查"]
    assert people[second.pk].suggestion.room_id == rooms["internal"].pk


def test_the_board_is_a_few_queries_whatever_the_crowd(
    centre, staff_chen, nurse_gu, rooms, django_assert_max_num_queries
):
    for _ in range(12):
        checked_in(centre=centre, actor=staff_chen, items=[rooms["glucose"], rooms["ekg"], rooms["exam"]])
    with django_assert_max_num_queries(9):  # loads, visits, undone items, their items, open entries (+ scope)
        today = board(user=nurse_gu, department_id=centre.pk)
        assert len(today.people) == 12


def test_a_clinician_outside_the_centre_sees_nobody_on_the_board(centre, staff_chen, clinician_zhou, rooms):
    checked_in(centre=centre, actor=staff_chen, items=[rooms["glucose"]])
    assert board(user=clinician_zhou, department_id=centre.pk).people == []
