"""The whole-number test every query-string and form check uses."""

from __future__ import annotations

import pytest

from carebridge.lib.text import is_digits


@pytest.mark.parametrize("value", ["0", "42", "2026", "110101199003077777"[:17]])
def test_ascii_digits_are_digits(value):
    assert is_digits(value)
    assert int(value) >= 0


@pytest.mark.parametrize("value", ["", " 1", "1 ", "-1", "1.5", "¹", "①", "１２", "٣", "12a"])
def test_anything_else_is_not(value):
    assert not is_digits(value)
