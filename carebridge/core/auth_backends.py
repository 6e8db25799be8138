"""A user's permissions in one query instead of two.

Every signed-in request that checks a permission loaded the user's permissions first: those granted to
the user and those of the user's groups, in two queries (issue 18: a fixed cost of every page and API
call). :class:`PermissionsInOneRead` reads both with one ``UNION`` of the same two reads, compiled once
per process (``core.prepared``); the set and every rule of Django's ``ModelBackend`` (inactive and
anonymous users have none, a superuser has all) are unchanged.

It answers permission checks only and stands before ``ModelBackend`` in ``AUTHENTICATION_BACKENDS``,
which still signs people in: a session keeps the path of the backend that signed its user in and is
dropped when that path leaves the setting, so replacing ``ModelBackend`` would have signed everybody
out. ``ModelBackend``, asked after this one, finds the set already read (both keep it on the user
object as ``_perm_cache``) and reads nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import connections, router
from django.db.models import QuerySet

from carebridge.core.prepared import STAND_IN_ID, PreparedQuery

_NAMES = ("content_type__app_label", "codename")


def _granted(*, user: int) -> QuerySet[Permission, Any]:
    """The user's own permissions and those of the user's groups: (app label, codename) rows."""
    granted = Permission.objects.filter(user=user).values_list(*_NAMES).order_by()
    return granted.union(Permission.objects.filter(group__user=user).values_list(*_NAMES).order_by())


# Compiled once (core.prepared): compiling the union cost more than the database spends running it.
_GRANTED = PreparedQuery(_granted, stand_ins={"user": STAND_IN_ID})


class PermissionsInOneRead(ModelBackend):
    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        return None  # signing in is ModelBackend's (see the module's docstring)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                rows = Permission.objects.values_list(*_NAMES).order_by()
            else:
                alias = router.db_for_read(Permission)
                with connections[alias].cursor() as cursor:
                    cursor.execute(*_GRANTED.statement(using=alias, user=user_obj.pk))
                    rows = cursor.fetchall()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
