"""Reads of employer groups, their contracts and rosters."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from carebridge.checkup.models import EmployerGroup, GroupContract, RosterImport, RosterMember
from carebridge.core.scope import restrict
from carebridge.core.types import Actor


def group_list(*, user: Actor) -> QuerySet[EmployerGroup]:
    return restrict(EmployerGroup.objects.filter(is_active=True), user).order_by("name", "id")


def group_list_with_counts(*, user: Actor) -> QuerySet[EmployerGroup]:
    return group_list(user=user).annotate(visit_count=Count("visits", distinct=True))


def contract_list(*, user: Actor) -> QuerySet[GroupContract]:
    return (
        restrict(GroupContract.objects.all(), user)
        .select_related("group")
        .prefetch_related("classes__package")
    )


def roster_of(*, contract: GroupContract) -> QuerySet[RosterMember]:
    return contract.members.select_related("patient", "employee_class").order_by("id")


def imports_of(*, contract: GroupContract) -> QuerySet[RosterImport]:
    return contract.imports.select_related("imported_by__staff").order_by("-imported_at", "-id")
