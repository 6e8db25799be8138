"""Reads of the organisation, scoped."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carebridge.core.choices import StaffKind
from carebridge.core.models import Department, Hospital, Staff, Ward
from carebridge.core.scope import scope_for


def department_list(*, user: Any) -> QuerySet[Department]:
    """Departments the user may pick or see: every department of their hospital(s).

    Department names are not patient data, so the list is not narrowed to the user's own departments;
    the scope narrows the *records* shown per department.
    """
    scope = scope_for(user)
    return scope.filter(
        Department.objects.select_related("hospital", "parent"), hospital="hospital", department=None
    )


def departments_in_scope(*, user: Any) -> QuerySet[Department]:
    """The departments whose records the user may read (their own ones unless hospital-wide)."""
    return scope_for(user).filter(Department.objects.all(), hospital="hospital", department="id")


def ward_list(*, user: Any) -> QuerySet[Ward]:
    return scope_for(user).filter(
        Ward.objects.select_related("department"), hospital="department__hospital", department="department"
    )


def staff_list(*, user: Any) -> QuerySet[Staff]:
    """The people of the user's scope, for pickers and look-ups: an interface's system account is not one."""
    people = Staff.objects.select_related("home_department").exclude(kind=StaffKind.SYSTEM)
    return scope_for(user).filter(people, hospital="hospital", department=None)


def staff_hospital(*, user: Any) -> Hospital:
    """The hospital of the user's staff record, where their new records belong; refused without one."""
    staff = getattr(user, "staff", None) if getattr(user, "is_authenticated", False) else None
    if staff is None:
        raise PermissionDenied(_("Your account is not linked to a hospital."))
    return staff.hospital


def person_name(user: Any) -> str:
    """A user as colleagues know them: the staff record's full name, else the account's full name, and
    the login name only when neither exists ("" for no user)."""
    if user is None:
        return ""
    try:
        staff = user.staff
    except ObjectDoesNotExist:
        staff = None
    if staff is not None and staff.name:
        return str(staff.name)
    return str(user.get_full_name() or user.get_username())
