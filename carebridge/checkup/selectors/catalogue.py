"""Reads of the catalogue: rooms, items (searchable), packages, and the centres a user works in."""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from carebridge.checkup.models import Item, Package, Room
from carebridge.core.models import Department
from carebridge.core.scope import restrict, scope_for
from carebridge.core.types import Actor


def room_list(*, user: Actor) -> QuerySet[Room]:
    return (
        restrict(Room.objects.filter(is_active=True), user)
        .select_related("department")
        .order_by("sequence", "code", "id")
    )


def centre_departments(*, user: Actor) -> QuerySet[Department]:
    """The checkup centres (departments with rooms) in the user's scope."""
    scoped = scope_for(user).filter(Department.objects.all(), hospital="hospital", department="id")
    return scoped.filter(Exists(Room.objects.filter(department=OuterRef("pk"), is_active=True))).order_by(
        "hospital_id", "code"
    )


def item_list(*, user: Actor, search: str = "") -> QuerySet[Item]:
    """Active items; ``search`` matches the local code, LOINC, the Chinese or English name, the
    abbreviation (exact codes first)."""
    queryset = restrict(Item.objects.filter(is_active=True), user).select_related("room")
    term = search.strip()
    if term:
        queryset = queryset.filter(
            Q(code__iexact=term)
            | Q(loinc=term)
            | Q(abbreviation__iexact=term)
            | Q(name__icontains=term)
            | Q(name_en__icontains=term)
        ).annotate(
            exact=Case(
                When(Q(code__iexact=term) | Q(loinc=term) | Q(abbreviation__iexact=term), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        return queryset.order_by("exact", "sequence", "code", "id")
    return queryset.order_by("sequence", "code", "id")


def package_list(*, user: Actor) -> QuerySet[Package]:
    return (
        restrict(Package.objects.filter(is_active=True), user)
        .prefetch_related("items")
        .order_by("kind", "code", "id")
    )
