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
    """Every installed app's demo steps, in order. Demo code is imported here, by ``seed_demo`` and the
    tests that load the demo, never at start-up: each app keeps its steps in ``<app>/demo/loader.py``."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        module = f"{config.name}.demo.loader"
        if config.name.startswith("carebridge.") and find_spec(f"{config.name}.demo") and find_spec(module):
            import_module(module)
    return sorted(_steps, key=lambda item: item[0])
