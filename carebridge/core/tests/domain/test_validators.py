"""GB 11643 resident IDs, phone numbers and GB/T 2260 region codes: clear errors for bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from carebridge.core.validators import (
    national_id_birth_date,
    national_id_check_digit,
    national_id_sex,
    normalise_national_id,
    normalise_phone,
    validate_national_id,
    validate_phone,
    validate_region_code,
)

pytestmark = pytest.mark.django_db


def _with_check_digit(first17: str) -> str:
    return first17 + national_id_check_digit(first17)


def _error(validator, value) -> ValidationError:
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


# --- national ID ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014", "11010519491231002x"])
def test_it_accepts_a_valid_national_id(value):
    validate_national_id(value)


def test_it_computes_the_iso_7064_check_character():
    assert national_id_check_digit("11010519491231002") == "X"
    assert national_id_check_digit("44052418800101001") == "4"


def test_it_rejects_a_wrong_check_digit_with_a_clear_message():
    error = _error(validate_national_id, "110105194912310021")
    assert error.code == "id_check_digit"
    assert "check digit" in error.messages[0]


def test_it_rejects_an_impossible_birth_date_even_with_a_correct_check_digit():
    value = _with_check_digit("11010519900230123")  # 30 February
    error = _error(validate_national_id, value)
    assert error.code == "id_date"
    assert "birth date" in error.messages[0]


@pytest.mark.parametrize(
    "value", ["11010519491231002", "1101051949123100211", "", "1101051949123A002X", "11010519491231002Y"]
)
def test_it_rejects_the_wrong_length_or_characters(value):
    error = _error(validate_national_id, value)
    assert error.code == "id_format"
    assert "18 characters" in error.messages[0]


def test_it_reads_birth_date_and_sex_from_the_id():
    assert national_id_birth_date("11010519491231002X") == dt.date(1949, 12, 31)
    assert national_id_sex("11010519491231002X") == "F"  # 17th digit 2: even
    assert national_id_sex("440524188001010014") == "M"  # 17th digit 1: odd


# --- phones -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["13812345678", "+86 138 1234 5678", "199 0000 1111", "025-83001234", "02583001234", "0510-8123456"],
)
def test_it_accepts_mobile_and_landline_numbers(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "138123456789", "83001234", "abc", ""])
def test_it_rejects_malformed_phone_numbers_with_an_example_in_the_message(value):
    error = _error(validate_phone, value)
    assert error.code == "phone_format"
    assert "13812345678" in error.messages[0]


def test_it_normalises_spaces_brackets_and_the_country_code():
    assert normalise_phone(" +86 (138) 1234 5678 ") == "13812345678"


def test_full_width_input_is_stored_in_ascii():
    """A Chinese input method in full-width mode types "１３８…": accepted, and kept in ASCII so that a
    search in ASCII finds it (``str.isdigit`` and ``\\d`` would have accepted and kept it as typed)."""
    assert normalise_phone("＋８６（１３８）１２３４　５６７８") == "13812345678"
    validate_phone("１３８１２３４５６７８")
    assert normalise_national_id("１１０１０５１９４９１２３１００２ｘ") == "11010519491231002X"
    validate_national_id("１１０１０５１９４９１２３１００２Ｘ")


@pytest.mark.parametrize("value", ["١٣٨١٢٣٤٥٦٧٨", "১৩৮১২৩৪৫৬৭৮"])
def test_digits_of_other_scripts_are_not_a_phone_number(value):
    assert _error(validate_phone, value).code == "phone_format"


# --- region codes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["320000", "320100", "320106", "110105"])
def test_it_accepts_gb_t_2260_codes(code):
    validate_region_code(code)


@pytest.mark.parametrize("code", ["32010", "3201066", "32010a", ""])
def test_it_rejects_codes_that_are_not_six_digits(code):
    assert _error(validate_region_code, code).code == "region_format"


def test_it_rejects_six_digits_that_are_not_a_region_and_names_the_code():
    error = _error(validate_region_code, "999999")
    assert error.code == "region_unknown"
    assert "999999" in error.messages[0]
