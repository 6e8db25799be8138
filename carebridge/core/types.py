"""Types shared by every app's services and selectors."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# The person a service acts for or a selector reads for: a logged-in user, or the anonymous user of a
# request. System work (tasks, imports, the demo) passes ``None`` where a service allows it.
Actor: TypeAlias = "User | AnonymousUser"
