"""Test clients of the follow-up tests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client


def client_for(user: Any) -> Client:
    """A page client logged in as ``user``, with English chosen (messages are asserted in English)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
