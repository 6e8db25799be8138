"""Fixtures of the interface tests: the demo hospital's wards, the checkup centre with its starter
catalogue (the checkup tests' fixtures), a LIS and a HIS registered as senders with their system
accounts, and the clock of a morning at the centre. Messages are asserted in English."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from carebridge.checkup.tests.conftest import (  # noqa: F401 - fixtures
    catalogue,
    centre,
    clock,
    customer,
    staff_chen,
)
from carebridge.checkup.tests.support.people import checked_in
from carebridge.core.tests.factories import WardFactory
from carebridge.interop.services.setup import sender_register, system_account_create
from carebridge.interop.tests.support.messages import MRN_SYSTEM


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def wards(hospital, paediatrics, cardiology):
    return SimpleNamespace(
        pedi=WardFactory(department=paediatrics, code="PW1", name="儿科一病区"),
        card=WardFactory(department=cardiology, code="CW1", name="心内一病区"),
    )


@pytest.fixture
def open_visit(clock, catalogue, centre, staff_chen, customer):  # noqa: F811 - the imported fixtures
    """Wang Jianguo (王建国), checked in at the centre this morning for the M-40 package."""
    return checked_in(centre=centre, actor=staff_chen, patient=customer, package=catalogue.packages["M-40"])


@pytest.fixture
def his(hospital):
    account = system_account_create(hospital=hospital, username="his-interface")
    return sender_register(
        hospital=hospital, facility="LXQ-HIS", name="HIS", account=account, mrn_system=MRN_SYSTEM
    )


@pytest.fixture
def lis(hospital):
    account = system_account_create(hospital=hospital, username="lis-interface")
    return sender_register(
        hospital=hospital, facility="LXQ-LIS", name="LIS", account=account, mrn_system=MRN_SYSTEM
    )
