"""Identifiers are masked by default (DESIGN §3): in pages, exports and every log line."""

from __future__ import annotations

import io
import logging

import pytest
from django.conf import settings

from carebridge.core.logging import MaskSensitiveFilter
from carebridge.core.masking import mask_national_id, mask_phone, mask_text

NATIONAL_ID = "110105194912310021"
MOBILE = "13812341234"


def test_it_masks_a_national_id_to_the_first_three_and_last_four_characters():
    assert mask_national_id(NATIONAL_ID) == "110***********0021"
    assert mask_national_id("11010519491231002X") == "110***********002X"
    assert len(mask_national_id(NATIONAL_ID)) == 18


def test_it_masks_a_mobile_number_to_138_stars_1234():
    assert mask_phone("13812345678") == "138****5678"


def test_it_keeps_only_the_last_four_digits_of_a_landline():
    assert mask_phone("025-83001234") == "********1234"


@pytest.mark.parametrize("value", ["", None])
def test_it_masks_empty_values_to_an_empty_string(value):
    assert mask_national_id(value) == ""
    assert mask_phone(value) == ""


def test_it_hides_short_values_completely():
    assert mask_national_id("1234567") == "*******"
    assert mask_phone("1234") == "****"


def test_it_masks_identifiers_inside_free_text():
    text = f"患者身份证 {NATIONAL_ID}，电话 {MOBILE}。"
    masked = mask_text(text)
    assert NATIONAL_ID not in masked
    assert MOBILE not in masked
    assert "110***********0021" in masked
    assert "138****1234" in masked


def test_it_masks_a_mobile_number_written_with_the_country_code():
    assert mask_text("callback +8613812341234 please") == "callback +86138****1234 please"
    assert mask_text("tel 0086-13812341234") == "tel 0086-138****1234"


def test_it_leaves_longer_digit_runs_that_are_not_identifiers_alone():
    order_number = "2026110100012345678901"
    assert mask_text(f"order {order_number}") == f"order {order_number}"


def _record(msg, args):
    return logging.LogRecord("carebridge.test", logging.INFO, __file__, 1, msg, args, None)


def test_the_log_filter_masks_identifiers_in_the_message():
    record = _record(f"lookup of {NATIONAL_ID} by phone {MOBILE}", None)
    assert MaskSensitiveFilter().filter(record) is True
    message = record.getMessage()
    assert NATIONAL_ID not in message and MOBILE not in message
    assert "110***********0021" in message and "138****1234" in message


def test_the_log_filter_masks_identifiers_passed_as_arguments():
    record = _record("patient %s called from %s (%d attempts)", (NATIONAL_ID, MOBILE, 3))
    MaskSensitiveFilter().filter(record)
    assert record.getMessage() == "patient 110***********0021 called from 138****1234 (3 attempts)"


def test_the_log_filter_leaves_harmless_records_untouched():
    record = _record("%d patients checked", (42,))
    MaskSensitiveFilter().filter(record)
    assert record.args == (42,)
    assert record.getMessage() == "42 patients checked"


def test_a_handler_with_the_filter_never_writes_a_whole_identifier():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskSensitiveFilter())
    logger = logging.getLogger("carebridge.test.masking")
    logger.addHandler(handler)
    logger.propagate = False
    # The logging module is process-wide: a worker started by an earlier test may have reconfigured
    # it; this test is about the filter, so it writes through a logger that is enabled for certain.
    disabled_before, logger.disabled = logger.disabled, False
    own_level_before = logger.level
    logger.setLevel(logging.INFO)  # not inherited from a parent an earlier test may have raised
    level_before = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    try:
        logger.warning("reveal of %s for %s", NATIONAL_ID, MOBILE)
    finally:
        logging.disable(level_before)
        logger.setLevel(own_level_before)
        logger.disabled = disabled_before
        logger.removeHandler(handler)
        logger.propagate = True
    written = stream.getvalue()
    assert "110***********0021" in written
    assert NATIONAL_ID not in written and MOBILE not in written


def test_the_console_log_handler_is_configured_with_the_mask():
    mask_filter = settings.LOGGING["filters"]["mask"]["()"]
    assert mask_filter == "carebridge.core.logging.MaskSensitiveFilter"
    assert "mask" in settings.LOGGING["handlers"]["console"]["filters"]
    root_filters = [f for h in logging.getLogger().handlers for f in h.filters]
    assert any(isinstance(f, MaskSensitiveFilter) for f in root_filters)
