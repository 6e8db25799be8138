"""The items of the agent's workspace: the desk's own, and what later modules add through a registered
provider (like the handover's ``carryover`` providers), so the desk never imports them.

A provider is ``f(user, now) -> Iterable[WorkItem]`` and applies the user's permissions and data scope
itself (e.g. critical results registers its escalated notifications).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    kind: str
    kind_label: str
    title: str
    detail: str
    due: dt.datetime | None
    url: str
    overdue: bool = False
    paused: bool = False


Provider = Callable[[Any, dt.datetime], Iterable[WorkItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def provided_items(user: Any, now: dt.datetime) -> list[WorkItem]:
    return [item for provider in _providers for item in provider(user, now)]
