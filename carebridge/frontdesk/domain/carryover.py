"""What a shift hands over: every module adds its open matters through a registered provider.

A provider is ``f(hospital, now) -> Iterable[CarriedItem]``, like the providers of ``core.timeline``. The
desk registers complaints near their deadline, escorts not finished and unanswered inquiries
(``selectors.carryover``, registered in ``frontdesk.hooks``); the follow-up module registers its
unfinished calls from its own start-up. Providers read one hospital's records for the handover document,
which only hospital-wide desk roles may open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CarriedItem:
    kind: str
    object_key: str
    title: str
    detail: str = ""
    due: dt.datetime | None = None
    url: str = ""


Provider = Callable[[Any, dt.datetime], Iterable[CarriedItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def carried_items(hospital: Any, now: dt.datetime) -> list[CarriedItem]:
    """Every provider's open matters, the soonest due first (items without a due date last)."""
    items = [item for provider in _providers for item in provider(hospital, now)]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    items.sort(key=lambda item: (item.due or far, item.kind, item.object_key))
    return items
