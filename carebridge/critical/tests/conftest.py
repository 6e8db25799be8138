"""Fixtures of the critical-result tests: the checkup centre of the checkup tests (its catalogue, staff
Chen of the customer-service group, chief examiner He as supervisor, customer 王建国), a second worker
Lin, and a visit checked in with every item of the seed's list ordered.

Personas: staff Chen and Lin (checkup_staff, the centre), supervisor He (chief_examiner), clinician Zhou
(cardiology: the outsider who sees none of the centre's notifications).
"""

# ruff: noqa: F811 - the fixtures imported from the checkup tests are used as arguments below
from __future__ import annotations

import pytest

from carebridge.checkup.tests.conftest import (  # noqa: F401 - fixtures shared with the checkup tests
    _fresh_cache,
    catalogue,
    centre,
    clock,
    customer,
    customer_woman,
    examiner_he,
    staff_chen,
)
from carebridge.checkup.tests.support.people import checked_in
from carebridge.core.tests.factories import make_persona

SEED_ITEMS = (
    "WBC", "RBC", "PLT", "HGB", "UWBC", "URBC", "UKET", "UGLU", "UPRO", "FOBT", "GLU", "GLU2H", "CK",
    "CREA", "AFP", "CEA", "CA199", "PSA", "USABD", "USTHY", "USPRO", "CXR",
)  # fmt: skip


@pytest.fixture
def staff_lin(hospital, centre):
    return make_persona("lin", "checkup_staff", hospital, departments=[centre])


@pytest.fixture
def visit(clock, catalogue, centre, staff_chen, customer):
    """A man of 49 with every item of the seed's list that a man is examined for."""
    items = [catalogue.items[code] for code in SEED_ITEMS]
    return checked_in(centre=centre, actor=staff_chen, patient=customer, items=items)


@pytest.fixture
def visit_woman(clock, catalogue, centre, staff_chen, customer_woman):
    items = [catalogue.items[code] for code in ("TCT", "USBRE", "USPEL", "CA125", "HGB")]
    return checked_in(centre=centre, actor=staff_chen, patient=customer_woman, items=items)


@pytest.fixture
def client(client, settings):
    """The test client in English (the source language the page tests assert); zh-hans is the default."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
