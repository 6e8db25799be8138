"""The data scope: which hospitals and departments a user may see. Decided here and nowhere else.

A superuser sees everything. Anyone else sees the hospital of their staff record and, within it, either
every department (permission ``core.hospital_wide_scope``: agents, the complaint and quality offices,
administrators) or only the departments listed on their staff record (ward managers, clinicians,
checkup staff, department heads). A user without a staff record sees nothing. Selectors call
:func:`scope_for` and filter with :meth:`DataScope.filter`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, Q, QuerySet

from carebridge.core.prepared import STAND_IN_ID, PreparedQuery

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

M = TypeVar("M", bound=Model)

_CACHE_ATTRIBUTE = "_carebridge_scope"


@dataclass(frozen=True)
class DataScope:
    """``None`` means "no restriction" on that axis; an empty set means "nothing"."""

    hospital_ids: frozenset[int] | None
    department_ids: frozenset[int] | None

    @property
    def is_empty(self) -> bool:
        return self.hospital_ids == frozenset() or self.department_ids == frozenset()

    @property
    def is_unrestricted(self) -> bool:
        return self.hospital_ids is None and self.department_ids is None

    def q(self, *, hospital: str | None, department: str | None) -> Q:
        """A ``Q`` over the given lookups (``"hospital"``, ``"encounters__department"``, …)."""
        if self.is_empty:
            return Q(pk__in=[])
        condition = Q()
        if hospital is not None and self.hospital_ids is not None:
            condition &= Q(**{f"{hospital}__in": self.hospital_ids})
        if department is not None and self.department_ids is not None:
            condition &= Q(**{f"{department}__in": self.department_ids})
        return condition

    def filter(self, queryset: QuerySet[M], *, hospital: str | None, department: str | None) -> QuerySet[M]:
        if self.is_empty:
            return queryset.none()
        return queryset.filter(self.q(hospital=hospital, department=department))

    def allows_department(self, department_id: int, hospital_id: int) -> bool:
        if self.is_empty:
            return False
        if self.hospital_ids is not None and hospital_id not in self.hospital_ids:
            return False
        return self.department_ids is None or department_id in self.department_ids


NOTHING = DataScope(hospital_ids=frozenset(), department_ids=frozenset())
EVERYTHING = DataScope(hospital_ids=None, department_ids=None)


def scope_for(user: AbstractBaseUser | AnonymousUser | Any) -> DataScope:
    """The user's data scope, computed once per request (cached on the user object)."""
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = _compute(user)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def _compute(user: Any) -> DataScope:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    alias = router.db_for_read(apps.get_model("core", "Staff"))
    with connections[alias].cursor() as cursor:
        cursor.execute(*_STAFF.statement(using=alias, user=user.pk))
        staff = cursor.fetchone()
        if staff is None:
            return NOTHING
        staff_id, hospital_id = staff
        hospitals = frozenset({hospital_id})
        if user.has_perm("core.hospital_wide_scope"):
            return DataScope(hospital_ids=hospitals, department_ids=None)
        cursor.execute(*_DEPARTMENTS.statement(using=alias, staff=staff_id))
        return DataScope(
            hospital_ids=hospitals, department_ids=frozenset(row[0] for row in cursor.fetchall())
        )


# By name: the models declare their scope lookups with this module, so it imports no model.
def _staff(*, user: int) -> QuerySet[Any, Any]:
    """The user's active staff record: (id, hospital id)."""
    staff = apps.get_model("core", "Staff").objects.filter(user=user, is_active=True)
    return staff.order_by("pk").values_list("id", "hospital_id")[:1]


def _departments(*, staff: int) -> QuerySet[Any, Any]:
    """The departments of a staff record's scope: (department id,) rows."""
    links = apps.get_model("core", "Staff").departments.through.objects
    return links.filter(staff_id=staff).order_by().values_list("department_id")


# Compiled once per process (core.prepared): every signed-in request computes a scope.
_STAFF = PreparedQuery(_staff, stand_ins={"user": STAND_IN_ID})
_DEPARTMENTS = PreparedQuery(_departments, stand_ins={"staff": STAND_IN_ID})


def scope_variant(user: Any, *, by_user: bool = True) -> tuple[Any, ...]:
    """What a statement scoped to ``user`` can depend on: the id, the permissions and the data scope
    (the ``variant`` of a :class:`~carebridge.core.prepared.PreparedQuery` built from the user: a
    changed role or staff record compiles anew). ``by_user=False`` leaves the id out, for a statement
    built only through :func:`restrict` (permissions and scope): users alike then share it."""
    permissions = frozenset(user.get_all_permissions())
    return (user.pk if by_user else None, user.is_active, user.is_superuser, scope_for(user), permissions)


def forget_scope(user: Any) -> None:
    """Drop the cached scope (after the user's staff record or groups change)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


@dataclass(frozen=True)
class ScopeLookups:
    """How a model's rows fall into a scope: the lookups from the model to its hospital and its
    department (``None`` where the model has no such axis), or ``rule`` for anything else (a ``Q`` built
    from the scope and the user, e.g. the registry's "departments that know this patient").

    A model declares ``scope_lookups = ScopeLookups(hospital="hospital", department="department")``.
    """

    hospital: str | None = None
    department: str | None = None
    rule: Callable[[DataScope, Any], Q] | None = None


def restrict(
    queryset: QuerySet[M], user: Any, action: str = "view", *, permission: str | None = None
) -> QuerySet[M]:
    """The rows of ``queryset`` that ``user`` may ``action``: nothing without the model's permission
    (``<app>.<action>_<model>``, or ``permission`` where a page needs another one — aggregates of
    responses need ``surveys.analyse_surveys``, not the right to open one questionnaire), otherwise
    the rows in the user's data scope.

    Every selector starts here, so no selector can forget the permission check or the scope.
    """
    model = queryset.model
    meta = model._meta
    if not user.has_perm(permission or f"{meta.app_label}.{action}_{meta.model_name}"):
        return queryset.none()
    lookups = getattr(model, "scope_lookups", None)
    if not isinstance(lookups, ScopeLookups):
        raise ImproperlyConfigured(f"{meta.label} declares no scope_lookups; restrict() cannot scope it.")
    scope = scope_for(user)
    if scope.is_empty:
        return queryset.none()
    if lookups.rule is not None:
        return queryset.filter(lookups.rule(scope, user))
    return scope.filter(queryset, hospital=lookups.hospital, department=lookups.department)
