"""A logging filter that masks national IDs and phone numbers in every log record."""

from __future__ import annotations

import logging

from carebridge.core.masking import mask_text


class MaskSensitiveFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True
