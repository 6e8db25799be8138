"""Text helpers: full-width text folded to ASCII, the one test for "a whole number as typed", and the one
Chinese tokenizer factory.

Each tokenizer caller (knowledge search, complaint lexicon, comment topics) keeps its own dictionary, so
each gets its own jieba ``Tokenizer``; jieba's logging is quietened once."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable
from typing import Any

_quiet = False


def half_width(value: str) -> str:
    """Full-width digits, letters and brackets, as a Chinese input method types them, in ASCII
    (``"１３８（０）"`` → ``"138(0)"``): identifiers and codes are stored and searched in one form."""
    return unicodedata.normalize("NFKC", value)


#: The largest key a row can have (a bigint).
ID_MAX = 2**63 - 1


def is_id(value: str) -> bool:
    """True for digits that can name a row: :func:`is_digits`, and no larger than a bigint. A longer run
    of digits names nothing, and SQLite's driver cannot even send it (a 500 found by the API fuzzing)."""
    return is_digits(value) and len(value) <= len(str(ID_MAX)) and int(value) <= ID_MAX


def is_digits(value: str) -> bool:
    """True for a non-empty run of the ASCII digits 0-9 only.

    ``str.isdigit`` also says yes to ``"¹"``, ``"①"`` and full-width ``"１"``: ``int()`` refuses the first
    two (a 500 where a query string or form should have been refused) and a national ID or postcode must
    not carry the third. Every "is this a number we can use" check goes through here.
    """
    return value.isascii() and value.isdigit()


def new_tokenizer(words: Iterable[tuple[str, int | None, str | None]] = ()) -> Any:
    """A fresh jieba tokenizer with ``(word, frequency, part of speech)`` added; ``None`` lets jieba choose.

    jieba loads its main dictionary lazily on the first cut (about a second); callers build a tokenizer
    once and keep it.
    """
    global _quiet  # noqa: PLW0603 - jieba's logger is process-wide; quieten it once
    import jieba

    if not _quiet:
        jieba.setLogLevel(logging.WARNING)
        _quiet = True
    tokenizer = jieba.Tokenizer()
    for word, frequency, tag in words:
        tokenizer.add_word(word, frequency, tag)
    return tokenizer
