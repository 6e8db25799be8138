"""The whole demo hospital (every app's demo steps), loaded once per test module and rolled back.

For tests that walk the product as the demo's users do (one user per role, named after the role)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.test import override_settings

from carebridge.core.demo.steps import DemoContext, steps

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def whole_demo_in_transaction(
    django_db_blocker: Any, *, patients: int = 120, seed: int = 19, as_of: dt.date = dt.date(2026, 11, 20)
) -> Iterator[DemoContext]:
    """Generator for a module-scoped fixture: every demo step, its context, then everything rolled back."""
    context = DemoContext(
        seed=seed,
        as_of=as_of,
        patients=patients,
        rng=random.Random(seed),  # noqa: S311 - demo data, not secrets
        log=lambda _line: None,
    )
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
    ):
        for _order, _name, step in steps():
            step(context)
        yield context
        transaction.set_rollback(True)
