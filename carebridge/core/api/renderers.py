"""The API's JSON, written by orjson (issue 18).

DRF's ``JSONRenderer`` calls the standard library's ``json.dumps``: for the follow-up queue's 200 calls
that was 0.75 ms of an 8 ms request. orjson writes the same text in a tenth of the time. The output is
DRF's, byte for byte, for what the API answers:

- compact (``,`` and ``:``), UTF-8 text as itself (DRF's ``UNICODE_JSON``), keys in their order;
- what JSON has no type for goes through DRF's own ``JSONEncoder.default``: date-times ("Z" for UTC),
  dates and times, decimals, lazy translations, querysets, generators; orjson writes UUIDs as that
  encoder does (the UUID's text);
- U+2028 and U+2029 escaped, as DRF escapes them for JavaScript;
- an ``indent`` asked for in the ``Accept`` header, non-strict JSON, anything orjson does not take (an
  integer beyond 64 bits) and an answer holding a float below 1e-4 (orjson writes ``0.00001`` and
  ``3.2e-6`` where Python writes ``1e-05`` and ``3.2e-06``) are written by DRF's renderer itself.

A view whose answer holds date-times only as :func:`~carebridge.core.api.serializers.fields.rfc3339_instant`
makes them (whole-minute offsets) says so with ``rfc3339_instants = True``: orjson then writes them
itself, the same text as DRF's encoder ("Z" for a zero offset), in a fifth of the time of Python's
``isoformat()`` (the follow-up queue's 400 date-times). orjson would round an offset of seconds to the
minute, which is why it is the view's promise, not the renderer's default.

Differences that remain: a float that is not a number (NaN, infinity) is written as ``null``, where DRF's
strict JSON raised and the request ended in a 500; a dict subclass is written from its own storage (a
``QueryDict``'s lists of values, an ``OrderedDict``'s insertion order), so answer plain dicts; and where
DRF's encoder has consumed a generator in the answer, a small float keeps orjson's form (the same number)
and what orjson refuses is an error, since the answer cannot be written again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
# For a view of rfc3339_instants (see above): date-times written by orjson, "Z" for a zero offset.
_INSTANT_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))
# A number orjson writes otherwise than Python: below 1e-4, as 0.0000… or with a one-digit exponent
# (3.2e-6 for Python's 3.2e-06). Text that looks like one only sends the answer to DRF's renderer.
_DIGITS = b"0123456789"


def _small_float(text: bytes) -> bool:
    """Whether ``text`` may hold a float orjson wrote in its own form (see above). Substring searches:
    a regular expression scanned a 200-row answer in a few ms."""
    at = text.find(b"0.0000")
    while at != -1:
        if at == 0 or text[at - 1] not in _DIGITS + b".":
            return True
        at = text.find(b"0.0000", at + 1)
    at = text.find(b"e-")
    while at != -1:
        before, first, second = text[at - 1 : at], text[at + 2 : at + 3], text[at + 3 : at + 4]
        if at > 0 and first and before in _DIGITS and first in _DIGITS and not (second and second in _DIGITS):
            return True
        at = text.find(b"e-", at + 1)
    return False


_ENCODER = JSONEncoder()


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON renderer, written by orjson (see the module)."""

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if data is None:
            return b""
        plain = self.compact and not self.ensure_ascii and self.strict and self.encoder_class is JSONEncoder
        if not plain or self.get_indent(accepted_media_type or "", renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        consumed: list[Any] = []

        def default(value: Any) -> Any:
            if isinstance(value, Iterator):  # DRF's encoder reads it once: it cannot be written again
                consumed.append(value)
            return _ENCODER.default(value)

        view = (renderer_context or {}).get("view")
        options = _INSTANT_OPTIONS if getattr(view, "rfc3339_instants", False) else _OPTIONS
        try:
            text = orjson.dumps(data, default=default, option=options)
        except orjson.JSONEncodeError:
            if consumed:
                raise
            return super().render(data, accepted_media_type, renderer_context)
        if not consumed and _small_float(text):
            return super().render(data, accepted_media_type, renderer_context)
        if b"\xe2\x80" in text:
            for raw, escaped in _LINE_SEPARATORS:
                text = text.replace(raw, escaped)
        return text
