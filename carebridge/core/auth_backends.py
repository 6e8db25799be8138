"""A user's permissions in one query instead of two.

Every signed-in request that checks a permission loaded the user's permissions first: those granted to
the user and those of the user's groups, in two queries (issue 18: a fixed cost of every page and API
call). :class:`PermissionsInOneRead` reads both with one ``UNION`` of the same two reads; the set and
every rule of Django's ``ModelBackend`` (inactive and anonymous users have none, a superuser has all)
are unchanged.

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


class PermissionsInOneRead(ModelBackend):
    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        return None  # signing in is ModelBackend's (see the module's docstring)

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            names = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                rows = Permission.objects.values_list(*names).order_by()
            else:
                granted = Permission.objects.filter(user=user_obj)
                through_groups = Permission.objects.filter(group__user=user_obj)
                rows = (
                    granted.values_list(*names)
                    .order_by()
                    .union(through_groups.values_list(*names).order_by())
                )
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in rows}
        return user_obj._perm_cache
