"""Fixtures of the complaint tests: the hospital's offices and routing map, and a case maker."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import translation

from carebridge.complaints.tests.factories import make_offices, receive_case


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
    return make_offices(hospital)


@pytest.fixture
def receive(hospital, offices):
    """``receive(actor, **fields)``: record a case through the intake service."""

    def make(actor, *, attachments=(), **fields):
        return receive_case(hospital, actor, attachments=attachments, **fields)

    return make
