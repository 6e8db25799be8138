"""Hooks for ``manage.py seed_demo``: each app registers a step that adds its part of the demo hospital.

Steps run in ``order``; each receives the :class:`DemoContext` built by the registry's organisation step
(hospitals, departments, staff, demo users) and the random generator seeded from ``--seed``, so the
whole demo stays deterministic. An app may also register a check that says whether its demo data are
already there (``seed_demo`` refuses to load twice) and a finishing step that runs after every step
(fresh planner statistics, the record of the seed).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

DEMO_PASSWORD = "carebridge-demo"  # noqa: S105 - documented demo credential, only created by seed_demo
# The demo's clock stands at this local time of its date: the checkup centre's morning (step 60) is under
# way, the day's first signatures and calls are written, nothing later is.
DEMO_MORNING = dt.time(9, 30)


def demo_password() -> str:
    """``DEMO_PASSWORD`` hashed for a demo user's ``password`` field, hashed once per process and hasher:
    one hash costs the hasher's work factor (~0.4 s with PBKDF2) and the demo makes eleven users."""
    from django.conf import settings

    return _hashed(settings.PASSWORD_HASHERS[0])


@functools.lru_cache(maxsize=4)
def _hashed(hasher: str) -> str:
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)


def demo_today(now: dt.datetime | None = None) -> dt.date:
    """The default ``--as-of``: the local date once its morning (``DEMO_MORNING``) has passed, else the day
    before — a demo loaded after midnight must not write what happens at 09:30 today, which is still to
    come (services refuse a time in the future, e.g. the checkup follow-up call of a signature)."""
    local = timezone.localtime(now)
    return local.date() if local.time() >= DEMO_MORNING else local.date() - dt.timedelta(days=1)


@dataclass
class DemoContext:
    seed: int
    as_of: dt.date
    patients: int
    rng: random.Random
    log: Callable[[str], None]
    data: dict[str, Any] = field(default_factory=dict)


Step = Callable[[DemoContext], None]
Check = Callable[[], bool]
_steps: list[tuple[int, str, Step]] = []
_checks: list[tuple[str, Check]] = []
_finishers: list[tuple[int, str, Step]] = []


def register_step(order: int, name: str) -> Callable[[Step], Step]:
    def decorator(step: Step) -> Step:
        if all(existing != name for _, existing, _ in _steps):
            _steps.append((order, name, step))
        return step

    return decorator


def register_check(name: str) -> Callable[[Check], Check]:
    """Register ``check() -> bool``: true when this app's demo data already exist in the database."""

    def decorator(check: Check) -> Check:
        if all(existing != name for existing, _ in _checks):
            _checks.append((name, check))
        return check

    return decorator


def register_finish(order: int, name: str) -> Callable[[Step], Step]:
    """Register a step that runs, in ``order``, after every demo step has run."""

    def decorator(step: Step) -> Step:
        if all(existing != name for _, existing, _ in _finishers):
            _finishers.append((order, name, step))
        return step

    return decorator


def _discover() -> None:
    """Import every installed app's ``<app>/demo/loader.py``, which registers its steps and checks.

    Demo code is imported here, by ``seed_demo`` and the tests that load the demo, never at start-up."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    for config in apps.get_app_configs():
        module = f"{config.name}.demo.loader"
        if config.name.startswith("carebridge.") and find_spec(f"{config.name}.demo") and find_spec(module):
            import_module(module)


def steps() -> list[tuple[int, str, Step]]:
    """Every installed app's demo steps, in order."""
    _discover()
    return sorted(_steps, key=lambda item: item[0])


def demo_exists() -> bool:
    """Whether any app's demo data are already in the database."""
    _discover()
    return any(check() for _, check in _checks)


def finishers() -> list[tuple[int, str, Step]]:
    """The steps that run after the demo is loaded, in order."""
    _discover()
    return sorted(_finishers, key=lambda item: item[0])
