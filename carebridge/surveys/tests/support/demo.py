"""A small demo hospital with its survey data, loaded once per test module and rolled back afterwards.

Runs only the demo steps the survey step needs (organisation, patients, surveys) with a fast password
hasher, inside one transaction that is rolled back when the module's tests are done
(``core.tests.support.demo``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.test import override_settings

from carebridge.core.demo.steps import DemoContext
from carebridge.core.tests.support.demo import FAST_HASHERS, demo_steps, rolled_back

AS_OF = dt.date(2026, 11, 1)
STEPS = ("organisation", "patients", "surveys")


def load_demo(*, patients: int, seed: int, as_of: dt.date = AS_OF) -> DemoContext:
    """Run the organisation, patients and surveys steps of ``seed_demo`` (the others are not needed)."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        return demo_steps(patients=patients, seed=seed, as_of=as_of, wanted=lambda name: name in STEPS)


def demo_in_transaction(
    django_db_blocker: Any, *, patients: int, seed: int, as_of: dt.date = AS_OF
) -> Iterator[DemoContext]:
    """Generator for a module-scoped fixture: load the demo, yield its context, roll everything back."""
    yield from rolled_back(django_db_blocker, lambda: load_demo(patients=patients, seed=seed, as_of=as_of))
