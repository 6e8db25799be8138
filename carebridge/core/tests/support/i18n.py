"""What a message looks like to the user: tests compare with it rather than with the English source."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation


def shown(message: Any, language: str | None = None) -> str:
    """``message`` (a msgid or a lazy string) as the interface shows it (Chinese by default)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return translation.gettext(str(message)) if isinstance(message, str) else str(message)
