"""Logging filters: no national ID, phone number or search term in any log line.

``MaskSensitiveFilter`` masks anything that looks like a national ID or a mobile number in every
record. Request lines (runserver's ``django.server``, gunicorn's access log, Django's request warnings)
also carry query strings — a search by name, ID or phone puts the identifier in the URL — so
``mask_query_string`` keeps each parameter's name and replaces its value.
"""

from __future__ import annotations

import logging
import re

from carebridge.core.masking import mask_text

# The query string of a URL in a log line: from "?" to the next space or quote.
_QUERY = re.compile(r"\?([^\s\"']*)")
_PARAM_VALUE = re.compile(r"=([^&;]*)")


def mask_query_string(text: str) -> str:
    """``GET /api/v1/patients/?q=张三&page=2`` → ``GET /api/v1/patients/?q=***&page=***``."""
    return _QUERY.sub(
        lambda m: "?" + _PARAM_VALUE.sub(lambda v: "=***" if v.group(1) else "=", m.group(1)), text
    )


class MaskSensitiveFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_query_string(mask_text(message))
        if masked != message:
            record.msg = masked
            record.args = None
        return True
