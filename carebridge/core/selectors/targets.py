"""Targets where a module shows its figures: the follow-up KPI page, complaint statistics, satisfaction
and checkup pages show a KPI's target and band when the hospital has set one (issue 15, item 4).

Targets live in a higher layer (``performance``, the balanced scorecard), so a lower app cannot ask for
them directly: the scorecard registers a provider here at start-up, and pages ask through the template
tag ``{% kpi_targets "code" … %}`` (``core/templatetags/targets.py``). Without a provider (or without
a target set), pages show nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TargetFigure:
    """One KPI as the hospital scorecard sets it: last month's value, target and band."""

    code: str
    name: str
    period: str
    value: float | None
    target: float
    band: str  # green / amber / red / missing
    unit: str
    rows_url: str = ""  # only when the user may open the rows


Provider = Callable[[Any, Sequence[str]], list[TargetFigure]]
_providers: list[Provider] = []


def register_target_provider(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def targets_for(*, user: Any, codes: Sequence[str]) -> list[TargetFigure]:
    """The figures with a target of ``codes`` the user's hospital has set (in the order asked)."""
    found: dict[str, TargetFigure] = {}
    for provider in _providers:
        for figure in provider(user, codes):
            found.setdefault(figure.code, figure)
    return [found[code] for code in codes if code in found]
