"""Hooks for ``manage.py seed_demo``: each app registers a step that adds its part of the demo hospital.

Steps run in ``order``; each receives the :class:`DemoContext` built by the registry's organisation step
(hospitals, departments, staff, demo users) and the random generator seeded from ``--seed``, so the
whole demo stays deterministic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "carebridge-demo"  # noqa: S105 - documented demo credential, only created by seed_demo


@dataclass
class DemoContext:
    seed: int
    as_of: dt.date
    patients: int
    rng: random.Random
    log: Callable[[str], None]
    data: dict[str, Any] = field(default_factory=dict)


Step = Callable[[DemoContext], None]
_steps: list[tuple[int, str, Step]] = []


def register_step(order: int, name: str) -> Callable[[Step], Step]:
    def decorator(step: Step) -> Step:
        if all(existing != name for _, existing, _ in _steps):
            _steps.append((order, name, step))
        return step

    return decorator


def steps() -> list[tuple[int, str, Step]]:
    return sorted(_steps, key=lambda item: item[0])
