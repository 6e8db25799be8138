"""The whole-number test every query-string and form check uses."""

from __future__ import annotations

import pytest

from carebridge.lib.text import is_digits, is_id


@pytest.mark.parametrize("value", ["0", "42", "2026", "110101199003077777"[:17]])
def test_ascii_digits_are_digits(value):
    assert is_digits(value)
    assert int(value) >= 0


@pytest.mark.parametrize("value", ["", " 1", "1 ", "-1", "1.5", "¹", "①", "１２", "٣", "12a"])
def test_anything_else_is_not(value):
    assert not is_digits(value)


@pytest.mark.parametrize(
    ("value", "names_a_row"),
    [("1", True), ("9223372036854775807", True), ("09", True), ("9223372036854775808", False),
     ("61917669765219314827264", False), ("", False), ("-1", False), ("１", False)],
)  # fmt: skip
def test_an_id_is_digits_no_larger_than_a_bigint(value, names_a_row):
    assert is_id(value) is names_a_row
