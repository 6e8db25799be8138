"""What every checkup service checks first: the permission, the centre in the actor's scope, an aware time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.models import Department
from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.core.validators import require_aware


def moment(at: dt.datetime | None, field: str = "at") -> dt.datetime:
    """``at`` (refused when naive) or now."""
    return timezone.now() if at is None else require_aware(at, field=field)


def require_permission(actor: Actor, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(message)


def require_centre(actor: Actor, department: Department) -> None:
    """Refuse a centre (department) outside the actor's data scope."""
    if not scope_for(actor).allows_department(department.pk, department.hospital_id):
        raise PermissionDenied(_("This checkup centre is outside your scope."))


def user_or_none(actor: Actor | None) -> Any:
    """The actor for a foreign key column: ``None`` for the system or an anonymous request."""
    return actor if getattr(actor, "is_authenticated", False) else None


def user_of(actor: Actor) -> Any:
    """The actor for a required foreign key column (the service's permission check ran first)."""
    return actor
