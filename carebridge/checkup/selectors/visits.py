"""Reads of visits: lists, one visit with its orders and results, and its completeness (ordered vs
resulted vs waived with a reason)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from carebridge.checkup.choices import OrderStatus
from carebridge.checkup.models import OrderedItem, Result, Visit
from carebridge.core.models import Department, Staff
from carebridge.core.scope import restrict
from carebridge.core.selectors.organisation import staff_list
from carebridge.core.types import Actor
from carebridge.surveys.domain import questionnaire


def visit_list(*, user: Actor) -> QuerySet[Visit]:
    return restrict(Visit.objects.all(), user).select_related("patient", "package", "group", "department")


def visit_get(*, user: Actor, pk: int) -> Visit:
    """One visit in the user's scope with what its pages show, or 404 (out of scope looks absent)."""
    visit = (
        visit_list(user=user)
        .select_related("escort", "examiner", "risk_rule", "encounter", "questionnaire__version")
        .prefetch_related(
            Prefetch(
                "orders",
                queryset=OrderedItem.objects.select_related("item__room", "result", "waived_by").order_by(
                    "item__room__sequence", "item__sequence", "id"
                ),
            ),
            "addons",
        )
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404("No such visit in your scope.")
    return visit


def visit_by_number(*, user: Actor, number: str) -> Visit | None:
    """The visit whose guide sheet was scanned (the code holds the visit number)."""
    return visit_list(user=user).filter(number=number.strip().upper()).first()


def visits_of_day(*, user: Actor, day: dt.date) -> QuerySet[Visit]:
    return visit_list(user=user).filter(scheduled_for=day).order_by("number", "id")


@dataclass
class RoomPart:
    room_id: int
    room_name: str
    ordered: int = 0
    resulted: int = 0
    waived: int = 0
    signed: bool = False

    @property
    def missing(self) -> int:
        return self.ordered - self.resulted - self.waived


@dataclass
class Completeness:
    ordered: int = 0
    resulted: int = 0
    waived: int = 0
    missing_items: list[str] = field(default_factory=list)
    waived_items: list[tuple[str, str]] = field(default_factory=list)
    rooms: list[RoomPart] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return self.ordered - self.resulted - self.waived

    @property
    def complete(self) -> bool:
        return self.missing == 0

    @property
    def unsigned_rooms(self) -> list[str]:
        return [room.room_name for room in self.rooms if room.resulted and not room.signed]


def completeness(visit: Visit) -> Completeness:
    """Counts over the visit's orders (prefetched by :func:`visit_get`) and its room signatures."""
    summary = Completeness()
    signed = set(visit.room_signoffs.values_list("room_id", flat=True))
    rooms: dict[int, RoomPart] = {}
    for order in visit.orders.all():
        room = order.item.room
        part = rooms.setdefault(room.pk, RoomPart(room.pk, room.name, signed=room.pk in signed))
        part.ordered += 1
        summary.ordered += 1
        if order.status == OrderStatus.RESULTED:
            part.resulted += 1
            summary.resulted += 1
        elif order.status == OrderStatus.WAIVED:
            part.waived += 1
            summary.waived += 1
            summary.waived_items.append((order.item.name, order.waived_reason))
        else:
            summary.missing_items.append(order.item.name)
    summary.rooms = list(rooms.values())
    return summary


def results_of(visit: Visit) -> QuerySet[Result]:
    return (
        visit.results.select_related("item__room")
        .prefetch_related("item__coded_values")
        .order_by("item__room__sequence", "item__sequence", "id")
    )


@dataclass(frozen=True)
class QuestionnaireAnswer:
    section: str
    question: str
    answer: str


def questionnaire_answers(visit: Visit, *, language: str) -> list[QuestionnaireAnswer]:
    """The answered questions of the visit's health questionnaire, in order, in ``language`` (empty when
    none was answered)."""
    response = visit.questionnaire
    if response is None:
        return []
    definition = response.version.definition
    answers = response.answers
    rows = []
    for page in questionnaire.pages(definition, language):
        for shown in questionnaire.fields(page.specs, language=language, answers=answers):
            if shown.kind == "text":
                answer = shown.value
            else:
                answer = "、".join(choice.label for choice in shown.choices if choice.checked)
            if answer:
                rows.append(QuestionnaireAnswer(section=page.title, question=shown.text, answer=answer))
    return rows


def escort_candidates(*, user: Actor, centre: Department) -> QuerySet[Staff]:
    """Who may escort a person through the centre (专人陪检): the active staff of the centre (their home
    department, or in their scope), in the user's scope, by name."""
    return (
        staff_list(user=user)
        .filter(is_active=True, hospital_id=centre.hospital_id)
        .filter(Q(home_department=centre) | Q(departments=centre))
        .distinct()
        .order_by("name", "id")
    )
