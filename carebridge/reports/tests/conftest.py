"""Fixtures of the reports tests: the checkup tests' centre, catalogue, staff and clock (shared, as the
critical-result tests share them)."""

# ruff: noqa: F401 - fixtures imported from the checkup tests are used as test arguments
from __future__ import annotations

from carebridge.checkup.tests.conftest import (
    _fresh_cache,
    catalogue,
    centre,
    clock,
    customer,
    customer_woman,
    examiner_he,
    nurse_gu,
    site,
    staff_chen,
)
