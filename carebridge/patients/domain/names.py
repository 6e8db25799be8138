"""Names in the registry: pinyin initials, so the desk can search 张伟 by typing ``zw``."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin


def name_initials(name: str) -> str:
    """Pinyin initials of a Chinese name (张伟 → zw); Latin letters are kept as they are."""
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()[:16]
