"""The API's JSON parser: refuses a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413) and nesting
deeper than any CareBridge payload needs (a 5,000-level document used to exhaust the interpreter's
recursion and answer 500), and any list longer than ``MAX_ITEMS``, with a JSON message each time."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
# No CareBridge payload needs a longer list (a wave's departments, an import of strata, a day's results);
# each endpoint bounds its own lists tighter. 100,000 phones in one POST used to insert 100,000 rows.
MAX_ITEMS = 2000


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"


def _depth_exceeded(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (one pass, no recursion)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


class BoundedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise BodyTooLarge(
                _("The request body is larger than %(limit)d KB; send less at a time.")
                % {"limit": limit // 1024}
            )
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError as error:
            raise ParseError(
                _("The request body is not valid %(encoding)s text.") % {"encoding": encoding}
            ) from error
        if _depth_exceeded(text, MAX_DEPTH):
            raise ParseError(
                _("The JSON document nests deeper than %(limit)d levels.") % {"limit": MAX_DEPTH}
            )
        try:
            document = json.loads(text, parse_constant=_refuse_constant)
        except ValueError as error:
            raise ParseError(f"JSON parse error - {error}") from error
        longest = _longest_list(document)
        if longest > MAX_ITEMS:
            raise ParseError(
                _("A list in the request has %(n)d items; at most %(limit)d are accepted.")
                % {"n": longest, "limit": MAX_ITEMS}
            )
        return document


def _longest_list(document: Any) -> int:
    """The size of the longest list or object anywhere in a parsed document (iterative: the depth is
    bounded before parsing)."""
    longest, pending = 0, [document]
    while pending:
        value = pending.pop()
        if isinstance(value, list):
            longest = max(longest, len(value))
            pending.extend(value)
        elif isinstance(value, dict):  # an object of 100,000 keys is a list by another name
            longest = max(longest, len(value))
            pending.extend(value.values())
    return longest


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
