"""Reading pages like a person does: the visible text only (no tags, attributes or scripts)."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client


def client_for(user, *, language: str | None = None) -> Client:
    client = Client()
    client.force_login(user)
    if language:
        from django.conf import settings

        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<svg\b.*?</svg>", " ", html, flags=re.S | re.I)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
