"""The patient timeline: every module adds its own entries through a registered provider.

A provider is ``f(patient, user) -> Iterable[TimelineEntry]``; the registry app registers
encounters and record changes, later modules (desk, follow-up, surveys, checkup) register theirs in
their ``AppConfig.ready``. Providers must apply the user's data scope themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Provider = Callable[[Any, Any], Iterable["TimelineEntry"]]
_providers: list[Provider] = []


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    kind: str
    title: str
    detail: str = ""
    icon: str = "circle"


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def timeline_for(subject: Any, user: Any, *, limit: int = 100) -> list[TimelineEntry]:
    entries = [entry for provider in _providers for entry in provider(subject, user)]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
