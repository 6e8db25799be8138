"""The next room (导检): where a person should go now, by the shortest expected wait that respects the
preparation rules.

The guide nurse's job in 篇8 2.2 is to spread the crowd and tell each person what is still undone. The
suggestion does the same arithmetic for everybody at once:

1. A person who arrived fasting and has not eaten does the fasting items first (the blood draw, the
   upper-abdominal ultrasound): only rooms with a fasting item are candidates, however short another
   room's queue is.
2. When no fasting item is left and an item needs a meal two hours before (2-h glucose), breakfast comes
   next, to start the clock; such an item is due ``AFTER_MEAL_MINUTES`` after the meal.
3. While a full-bladder scan is undone, a room that only has urine samples waits.
4. When a pregnancy is possible, radiation items are not suggested (the doctor decides).
5. Among the candidates the shortest expected wait wins: people ahead (waiting or in the room) divided by
   the room's stations, times its minutes per person. Ties go to the room's order on the guide sheet.

Pure functions over plain data: the selectors load the queues once for a whole board.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext

from carebridge.checkup.choices import Preparation, SuggestionKind

AFTER_MEAL_MINUTES = 120

# The translation function the texts go through: ``gettext``, or for a whole board one that asks the
# catalogue once per message (``remembered_gettext``: a board makes thousands of the same few texts).
Translate = Callable[[str], str]


def remembered_gettext() -> Translate:
    """``gettext`` that remembers each message's translation; use it for one request or one board."""
    known: dict[str, str] = {}

    def translate(message: str) -> str:
        text = known.get(message)
        if text is None:
            text = known[message] = gettext(message)
        return text

    return translate


@dataclass(frozen=True)
class RoomLoad:
    room_id: int
    name: str
    ahead: int  # people waiting or being examined
    stations: int = 1
    service_minutes: int = 5
    sequence: int = 0

    @property
    def expected_wait(self) -> int:
        """Minutes until a newcomer is called in."""
        return math.ceil(self.ahead / max(self.stations, 1)) * self.service_minutes


@dataclass(frozen=True)
class PendingItem:
    item_id: int
    room_id: int
    name: str
    preparations: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PersonState:
    now: dt.datetime
    arrived_fasting: bool = True
    meal_at: dt.datetime | None = None
    pregnancy_possible: bool = False
    current_room_id: int | None = None

    @property
    def still_fasting(self) -> bool:
        return self.arrived_fasting and self.meal_at is None


@dataclass(frozen=True)
class Option:
    room_id: int
    name: str
    expected_wait: int


@dataclass(frozen=True)
class Suggestion:
    kind: str
    reason: str
    room_id: int | None = None
    room_name: str = ""
    expected_wait: int | None = None
    due_at: dt.datetime | None = None
    alternatives: tuple[Option, ...] = ()
    blocked: tuple[str, ...] = field(default_factory=tuple)


def blocked_reason(item: PendingItem, state: PersonState, _: Translate = gettext) -> str | None:
    """Why ``item`` cannot be done now (``None`` when it can)."""
    if Preparation.RADIATION in item.preparations and state.pregnancy_possible:
        return _("a pregnancy is possible: the doctor decides")
    if Preparation.FASTING in item.preparations and not state.still_fasting:
        return _("needs fasting")
    if Preparation.AFTER_MEAL in item.preparations:
        if state.meal_at is None:
            return _("after breakfast")
        if state.now < due_after_meal(state.meal_at):
            return _("from %(time)s") % {"time": f"{due_after_meal(state.meal_at):%H:%M}"}
    return None


def due_after_meal(meal_at: dt.datetime) -> dt.datetime:
    return meal_at + dt.timedelta(minutes=AFTER_MEAL_MINUTES)


def suggest(
    pending: Iterable[PendingItem], loads: Mapping[int, RoomLoad], state: PersonState, _: Translate = gettext
) -> Suggestion:
    """Where to go next. ``loads`` has every active room; rooms missing from it are skipped."""
    items = [item for item in pending if item.room_id in loads]
    if not items:
        return Suggestion(kind=SuggestionKind.DONE, reason=_("Every ordered item is done."))
    reasons = [blocked_reason(item, state, _) for item in items]
    doable = [item for item, why in zip(items, reasons, strict=True) if why is None]
    blocked = tuple(
        f"{item.name} ({why})" for item, why in zip(items, reasons, strict=True) if why is not None
    )
    fasting_items = [item for item in doable if Preparation.FASTING in item.preparations]
    doable = [item for item in doable if item.room_id != state.current_room_id]
    reason = _("Shortest expected wait.")

    if state.still_fasting and fasting_items:
        fasting_next = [item for item in fasting_items if item.room_id != state.current_room_id]
        if not fasting_next:
            return Suggestion(
                kind=SuggestionKind.WAIT,
                reason=_("Finish the current room (fasting items)."),
                blocked=blocked,
            )
        doable, reason = fasting_next, _("Fasting items first, before breakfast.")
    elif state.still_fasting and any(Preparation.AFTER_MEAL in item.preparations for item in items):
        return Suggestion(
            kind=SuggestionKind.MEAL,
            reason=_("The fasting items are done: breakfast now starts the two-hour clock."),
            blocked=blocked,
        )
    if any(Preparation.FULL_BLADDER in item.preparations for item in doable):
        rooms_with_other = {
            item.room_id for item in doable if Preparation.EMPTIES_BLADDER not in item.preparations
        }
        if rooms_with_other:
            doable = [item for item in doable if item.room_id in rooms_with_other]

    rooms = sorted(
        {item.room_id for item in doable},
        key=lambda room_id: (loads[room_id].expected_wait, loads[room_id].sequence, room_id),
    )
    if not rooms:
        due = [
            due_after_meal(state.meal_at)
            for item in items
            if state.meal_at is not None and Preparation.AFTER_MEAL in item.preparations
        ]
        if due and max(due) > state.now:
            return Suggestion(
                kind=SuggestionKind.WAIT,
                reason=_("The two-hour sample is due at %(time)s.") % {"time": f"{min(due):%H:%M}"},
                due_at=min(due),
                blocked=blocked,
            )
        if state.current_room_id is not None and any(i.room_id == state.current_room_id for i in items):
            return Suggestion(kind=SuggestionKind.WAIT, reason=_("Finish the current room."), blocked=blocked)
        return Suggestion(
            kind=SuggestionKind.DONE,
            reason=_("Nothing more can be done today; see the guide nurse."),
            blocked=blocked,
        )
    best = loads[rooms[0]]
    options = tuple(Option(r, loads[r].name, loads[r].expected_wait) for r in rooms[1:])
    return Suggestion(
        kind=SuggestionKind.ROOM,
        reason=reason,
        room_id=best.room_id,
        room_name=best.name,
        expected_wait=best.expected_wait,
        alternatives=options,
        blocked=blocked,
    )
