"""Masking of identifiers (DESIGN §3): national ID ``110***********1234``, phone ``138****1234``.

Masking is the default everywhere (pages, API, exports, logs, audit rows); seeing the full value is an
explicit, permission-checked and logged "reveal" (see the registry's ``patient_reveal`` service).
"""

from __future__ import annotations

import re
from typing import Any

from carebridge.lib.text import is_digits

_ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
# A mobile number, also after the country code (+86, 0086, 86): the digits of "+8613812345678" run on.
_MOBILE_PATTERN = re.compile(r"(?<!\d)(?P<prefix>(?:\+|00)?86[ -]?)?(?P<mobile>1[3-9]\d{9})(?!\d)")


def mask_national_id(value: str | None) -> str:
    """Keep the first three and the last four characters: ``110***********1234``."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str:
    """Mobile numbers keep the first three and last four digits; other numbers only the last four."""
    if not value:
        return ""
    digits = value.strip()
    if len(digits) == 11 and is_digits(digits):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


_PHONE_KEYS = frozenset({"phone", "mobile", "tel", "telephone", "phone_number", "contact_phone"})
_ID_KEYS = frozenset({"national_id", "id_number", "id_card"})


def mask_json(value: Any) -> Any:
    """A JSON value with every identifier masked: values under phone or ID keys whole, and anything in
    any other text that looks like a national ID or a mobile number (nested dicts and lists too)."""
    if isinstance(value, dict):
        masked: dict[Any, Any] = {}
        for key, item in value.items():
            if isinstance(item, str) and str(key).lower() in _PHONE_KEYS:
                masked[key] = mask_phone(item)
            elif isinstance(item, str) and str(key).lower() in _ID_KEYS:
                masked[key] = mask_national_id(item)
            else:
                masked[key] = mask_json(item)
        return masked
    if isinstance(value, list | tuple):
        return [mask_json(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value


def mask_text(text: str) -> str:
    """Mask anything in free text that looks like a national ID or a mobile number (for logs)."""
    text = _ID_PATTERN.sub(lambda m: mask_national_id(m.group(0)), text)
    return _MOBILE_PATTERN.sub(lambda m: (m.group("prefix") or "") + mask_phone(m.group("mobile")), text)
