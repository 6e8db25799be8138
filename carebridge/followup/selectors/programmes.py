"""Reading chronic-disease programmes: the programmes with their enrolment, retention and return-visit
rates, and a programme's enrolments. Scoped through ``restrict()``."""

from __future__ import annotations

from typing import Any, TypedDict

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from carebridge.core.scope import restrict
from carebridge.followup.choices import EnrolmentStatus, StandaloneReason, TouchpointStatus
from carebridge.followup.models import ChronicProgramme, ProgrammeEnrolment


class ProgrammeRates(TypedDict):
    enrolled: int
    active: int
    left: int
    returned: int
    retention: float | None  # active / enrolled
    return_rate: float | None  # returned at least once / enrolled
    calls_done: int
    calls_due: int


def programme_list(*, user: Any) -> QuerySet[ChronicProgramme]:
    return restrict(ChronicProgramme.objects.select_related("department"), user).order_by("name", "id")


def programme_get(*, user: Any, pk: int) -> ChronicProgramme:
    return get_object_or_404(programme_list(user=user), pk=pk)


def enrolment_list(
    *, user: Any, programme: ChronicProgramme | None = None, status: str = ""
) -> QuerySet[ProgrammeEnrolment]:
    rows = restrict(ProgrammeEnrolment.objects.select_related("programme", "patient", "department"), user)
    if programme is not None:
        rows = rows.filter(programme=programme)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-enrolled_at", "id")


def enrolment_get(*, user: Any, pk: int) -> ProgrammeEnrolment:
    return get_object_or_404(enrolment_list(user=user), pk=pk)


def programme_rates(*, user: Any, programme: ChronicProgramme) -> ProgrammeRates:
    """Enrolment, retention (still enrolled) and return-visit rates; recall calls done out of those due."""
    rows = enrolment_list(user=user, programme=programme)
    counts = rows.aggregate(
        enrolled=Count("id"),
        active=Count("id", filter=Q(status=EnrolmentStatus.ACTIVE)),
        left=Count("id", filter=Q(status=EnrolmentStatus.LEFT)),
        returned=Count("id", filter=Q(returned_at__isnull=False)),
    )
    calls = rows.filter(recalls__touchpoint__reason=StandaloneReason.CHRONIC_RECALL).aggregate(
        done=Count("recalls", filter=Q(recalls__touchpoint__status=TouchpointStatus.DONE)),
        due=Count(
            "recalls",
            filter=~Q(
                recalls__touchpoint__status__in=(TouchpointStatus.SCHEDULED, TouchpointStatus.CANCELLED)
            ),
        ),
    )
    enrolled = counts["enrolled"]
    return ProgrammeRates(
        enrolled=enrolled,
        active=counts["active"],
        left=counts["left"],
        returned=counts["returned"],
        retention=counts["active"] / enrolled if enrolled else None,
        return_rate=counts["returned"] / enrolled if enrolled else None,
        calls_done=calls["done"],
        calls_due=calls["due"],
    )
