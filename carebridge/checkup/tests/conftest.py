"""Fixtures of the checkup tests: a centre with the starter catalogue, its staff, customers, the clock.

Personas: checkup staff Chen (registration and rooms), guide nurse Gu (导检护士), chief examiner He
(总检医生), all scoped to the centre; the root conftest's clinician Zhou (cardiology) is the outsider who
must see nothing of it.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.utils import translation

from carebridge.checkup.demo.install import catalogue_install
from carebridge.checkup.tests.factories import CentreFactory, CustomerFactory, PhoneFactory
from carebridge.core.tests.factories import make_persona

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Wednesday morning at the centre.
MORNING = dt.datetime(2025, 3, 12, 7, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Messages are asserted in English (the source language); zh-hans is the default UI, and pages
    # rendered through the test client still get it from the language middleware.
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def clock():
    """The centre's morning; ``clock.move_to(...)`` moves it."""
    with time_machine.travel(MORNING, tick=False) as traveller:
        yield traveller


@pytest.fixture
def centre(hospital):
    return CentreFactory(hospital=hospital, code="CHKP")


@pytest.fixture
def catalogue(centre):
    return catalogue_install(department=centre)


@pytest.fixture
def staff_chen(hospital, centre):
    return make_persona("chen", "checkup_staff", hospital, departments=[centre])


@pytest.fixture
def nurse_gu(hospital, centre):
    return make_persona("gu", "guide_nurse", hospital, departments=[centre])


@pytest.fixture
def examiner_he(hospital, centre):
    return make_persona("he", "chief_examiner", hospital, departments=[centre])


@pytest.fixture
def customer(hospital):
    person = CustomerFactory(hospital=hospital, name="王建国", sex="M", birth_date=dt.date(1975, 6, 1))
    PhoneFactory(patient=person, number="13912345678")
    return person


@pytest.fixture
def customer_woman(hospital):
    return CustomerFactory(hospital=hospital, name="李秀英", sex="F", birth_date=dt.date(1990, 9, 9))


@pytest.fixture
def site(request, clock):
    """Everything of a morning at the centre in one namespace (for tests that need most of it)."""
    names = {
        "catalogue": "catalogue",
        "centre": "centre",
        "staff": "staff_chen",
        "nurse": "nurse_gu",
        "examiner": "examiner_he",
        "customer": "customer",
    }
    return SimpleNamespace(clock=clock, **{key: request.getfixturevalue(name) for key, name in names.items()})
