"""Fixtures of the complaint tests: the hospital's offices and routing map, a case factory, API clients."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import translation

from carebridge.core.tests.factories import DepartmentFactory
from carebridge.desk.demo.complaints import routing_install
from carebridge.desk.services import ComplaintInput, complaint_receive

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=SH)


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    # Messages are asserted in English (the source language); zh-hans is the default UI.
    cache.clear()
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def offices(hospital):
    """The offices complaints are routed to, with the default routing map installed."""
    made = SimpleNamespace(
        prel=DepartmentFactory(hospital=hospital, code="PREL", name="医患关系办公室", kind="administrative"),
        nurs=DepartmentFactory(hospital=hospital, code="NURS", name="护理部", kind="nursing"),
        disc=DepartmentFactory(hospital=hospital, code="DISC", name="纪检监察室", kind="administrative"),
        fin=DepartmentFactory(hospital=hospital, code="FIN", name="财务科", kind="administrative"),
    )
    routing_install(hospital=hospital)
    return made


@pytest.fixture
def receive(hospital, offices):
    """``receive(actor, **fields)``: record a case through the intake service."""

    def make(actor, *, attachments=(), **fields):
        values = {
            "content": "护士态度冷漠，不耐烦",
            "channel": "walk_in",
            "complainant_name": "王先生",
            "complainant_phone": "13812345678",
            "complainant_class": "family",
        }
        values.update(fields)
        return complaint_receive(
            hospital=hospital, actor=actor, data=ComplaintInput(**values), attachments=attachments
        )

    return make
