"""Template context shared by every page: the user's hospital, roles and navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from carebridge.core.navigation import navigation_for
from carebridge.core.roles import role_labels


def carebridge(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {}
    staff = getattr(user, "staff", None)
    return {
        "current_staff": staff,
        "current_hospital": staff.hospital if staff is not None else None,
        "current_roles": role_labels(user),
        "navigation": navigation_for(user, request.path),
    }
