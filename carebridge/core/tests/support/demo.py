"""Demo data loaded once per test module and rolled back: the whole demo hospital (every app's demo
steps), some of its steps, or what ``seed_demo`` loads.

Loading a demo takes 10-40 s; a fixture that loads it for every test of a module paid that per test. The
module-scoped fixtures built on :func:`rolled_back` load once; each test still runs in its own savepoint
(pytest-django's ``django_db``), so what one test writes never reaches the next, and everything is
rolled back when the module's tests are done."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from django.db import transaction
from django.test import override_settings

from carebridge.core.demo.steps import DemoContext, steps

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
T = TypeVar("T")


def rolled_back(django_db_blocker: Any, load: Callable[[], T]) -> Iterator[T]:
    """Generator for a module-scoped fixture: ``load()`` once, yield what it returned, roll it all back.

    The demo users' passwords are hashed with the suite's fast hasher (the root ``conftest`` sets it for
    every test; a module fixture runs before that), so the tests can log in as them."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
            loaded = load()
        yield loaded
        transaction.set_rollback(True)


def demo_steps(
    *, patients: int, seed: int, as_of: dt.date, wanted: Callable[[str], bool] = lambda _name: True
) -> DemoContext:
    """Run the demo steps whose names ``wanted`` accepts, in their order, as ``seed_demo`` would."""
    context = DemoContext(
        seed=seed,
        as_of=as_of,
        patients=patients,
        rng=random.Random(seed),  # noqa: S311 - demo data, not secrets
        log=lambda _line: None,
    )
    for _order, name, step in steps():
        if wanted(name):
            step(context)
    return context


def whole_demo_in_transaction(
    django_db_blocker: Any, *, patients: int = 120, seed: int = 19, as_of: dt.date = dt.date(2026, 11, 20)
) -> Iterator[DemoContext]:
    """Generator for a module-scoped fixture: every demo step, its context, then everything rolled back.
    For tests that walk the product as the demo's users do."""
    yield from rolled_back(django_db_blocker, lambda: demo_steps(patients=patients, seed=seed, as_of=as_of))
