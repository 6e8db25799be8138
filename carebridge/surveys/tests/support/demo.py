"""A small demo hospital with its survey data, loaded once per test module and rolled back afterwards.

Runs only the demo steps the survey step needs (organisation, patients, surveys) with a fast password
hasher, inside one transaction that is rolled back when the module's tests are done.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.test import override_settings

from carebridge.core.demo.steps import DemoContext, steps

AS_OF = dt.date(2026, 11, 1)
STEPS = ("organisation", "patients", "surveys")
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(*, patients: int, seed: int, as_of: dt.date = AS_OF) -> DemoContext:
    """Run the organisation, patients and surveys steps of ``seed_demo`` (the others are not needed)."""
    context = DemoContext(
        seed=seed,
        as_of=as_of,
        patients=patients,
        rng=random.Random(seed),  # noqa: S311 - demo data, not secrets
        log=lambda _line: None,
    )
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        for _order, name, step in steps():
            if name in STEPS:
                step(context)
    return context


def demo_in_transaction(
    django_db_blocker: Any, *, patients: int, seed: int, as_of: dt.date = AS_OF
) -> Iterator[DemoContext]:
    """Generator for a module-scoped fixture: load the demo, yield its context, roll everything back."""
    with django_db_blocker.unblock(), transaction.atomic():
        context = load_demo(patients=patients, seed=seed, as_of=as_of)
        yield context
        transaction.set_rollback(True)
