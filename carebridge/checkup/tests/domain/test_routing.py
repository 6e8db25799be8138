"""The next-room rules on plain data (the database scenario is in ``selectors/test_flow``)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from carebridge.checkup.domain.routing import PendingItem, PersonState, RoomLoad, suggest

NOW = dt.datetime(2025, 3, 12, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
BLOOD, ECG, US, URINE, XRAY = 1, 2, 3, 4, 5
LOADS = {
    BLOOD: RoomLoad(BLOOD, "采血室", ahead=8, stations=2, service_minutes=3),  # 12 min
    ECG: RoomLoad(ECG, "心电图室", ahead=0, stations=1, service_minutes=5),  # 0 min
    US: RoomLoad(US, "超声室", ahead=3, stations=1, service_minutes=8),  # 24 min
    URINE: RoomLoad(URINE, "留样处", ahead=0, stations=1, service_minutes=1),
    XRAY: RoomLoad(XRAY, "放射科", ahead=0, stations=1, service_minutes=3),
}
GLU = PendingItem(10, BLOOD, "空腹血糖", frozenset({"fasting"}))
GLU2H = PendingItem(11, BLOOD, "餐后2小时血糖", frozenset({"after_meal"}))
EKG = PendingItem(12, ECG, "心电图", frozenset())
ABDOMEN = PendingItem(13, US, "腹部超声", frozenset({"fasting"}))
PELVIS = PendingItem(14, US, "盆腔超声", frozenset({"full_bladder"}))
URINE_TEST = PendingItem(15, URINE, "尿常规", frozenset({"empties_bladder"}))
CHEST = PendingItem(16, XRAY, "胸片", frozenset({"radiation"}))


def test_fasting_items_come_first_even_when_another_room_is_empty():
    advice = suggest([GLU, EKG], LOADS, PersonState(now=NOW))
    assert advice.kind == "room" and advice.room_id == BLOOD and advice.expected_wait == 12


def test_among_fasting_rooms_the_shorter_wait_wins():
    advice = suggest([GLU, ABDOMEN, EKG], LOADS, PersonState(now=NOW))
    assert advice.room_id == BLOOD
    assert [o.room_id for o in advice.alternatives] == [US]


def test_without_fasting_items_the_shortest_wait_wins():
    advice = suggest([EKG, ABDOMEN], LOADS, PersonState(now=NOW, arrived_fasting=False))
    assert advice.room_id == ECG
    assert "腹部超声" in advice.blocked[0]  # a fasting scan cannot be done after eating


def test_breakfast_comes_next_when_a_two_hour_sample_is_ordered():
    advice = suggest([GLU2H, EKG], LOADS, PersonState(now=NOW))
    assert advice.kind == "meal"


def test_the_two_hour_sample_waits_for_its_time():
    ate = NOW - dt.timedelta(minutes=90)
    assert suggest([GLU2H], LOADS, PersonState(now=NOW, meal_at=ate)).kind == "wait"
    assert (
        suggest([GLU2H], LOADS, PersonState(now=NOW + dt.timedelta(minutes=31), meal_at=ate)).room_id == BLOOD
    )


def test_the_urine_sample_waits_for_the_full_bladder_scan():
    advice = suggest([PELVIS, URINE_TEST], LOADS, PersonState(now=NOW, arrived_fasting=False))
    assert advice.room_id == US


def test_radiation_is_not_suggested_when_a_pregnancy_is_possible():
    advice = suggest([CHEST], LOADS, PersonState(now=NOW, arrived_fasting=False, pregnancy_possible=True))
    assert advice.kind == "done" and "胸片" in advice.blocked[0]


def test_the_room_a_person_is_in_is_not_suggested_again():
    advice = suggest([GLU, EKG], LOADS, PersonState(now=NOW, arrived_fasting=False, current_room_id=ECG))
    # The fasting item is blocked (they ate) and the ECG is where they are: finish it first.
    assert advice.kind == "wait" and advice.room_id is None
    waiting = suggest([GLU, EKG], LOADS, PersonState(now=NOW, current_room_id=BLOOD))
    assert waiting.kind == "wait"


def test_nothing_left_is_done():
    assert suggest([], LOADS, PersonState(now=NOW)).kind == "done"
