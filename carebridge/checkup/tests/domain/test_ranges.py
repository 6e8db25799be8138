"""Reference ranges by sex and age, and the abnormal flag of each kind of result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carebridge.checkup.domain.ranges import (
    Range,
    age_on,
    flag_coded,
    flag_grade,
    flag_numeric,
    flag_posneg,
    normalise_grade,
    normalise_posneg,
    pick_range,
)

HB = [
    Range("M", None, None, Decimal(130), Decimal(175)),
    Range("F", None, None, Decimal(115), Decimal(150)),
    Range("any", 0, 14, Decimal(110), Decimal(160)),
]


def test_the_range_for_the_persons_sex_is_chosen():
    assert pick_range(HB, sex="F", age=40).low == Decimal(115)
    assert pick_range(HB, sex="M", age=40).low == Decimal(130)


def test_an_age_band_applies_only_inside_it():
    ranges = [
        Range("any", None, None, Decimal(1), Decimal(2)),
        Range("any", 60, None, Decimal(1), Decimal(3)),
    ]
    assert pick_range(ranges, sex="M", age=59).high == Decimal(2)
    assert pick_range(ranges, sex="M", age=60).high == Decimal(3)


def test_age_is_whole_years_on_the_visit_day():
    assert age_on(dt.date(1975, 6, 1), dt.date(2025, 5, 31)) == 49
    assert age_on(dt.date(1975, 6, 1), dt.date(2025, 6, 1)) == 50


def test_limits_are_normal_and_beyond_them_low_or_high():
    reference = Range("any", None, None, Decimal("3.9"), Decimal("6.1"))
    assert flag_numeric(Decimal("3.9"), reference) == "N"
    assert flag_numeric(Decimal("6.1"), reference) == "N"
    assert flag_numeric(Decimal("3.8"), reference) == "L"
    assert flag_numeric(Decimal("7.0"), reference) == "H"


@pytest.mark.parametrize(("entered", "grade"), [("2+", "++"), ("+-", "±"), ("＋＋＋", "+++"), ("-", "-")])
def test_grades_are_read_in_the_forms_laboratories_write_them(entered, grade):
    assert normalise_grade(entered) == grade


def test_a_grade_above_the_highest_normal_one_is_abnormal():
    assert flag_grade("-", None) == "N"
    assert flag_grade("±", None) == "A"
    assert flag_grade("±", Range("any", None, None, None, None, normal_grade="±")) == "N"


def test_positive_is_abnormal_and_other_words_are_refused():
    assert flag_posneg(normalise_posneg("阳性")) == "A"
    assert flag_posneg(normalise_posneg("neg")) == "N"
    with pytest.raises(ValueError, match="positive or negative"):
        normalise_posneg("maybe")


def test_a_coded_finding_is_abnormal_when_its_code_is():
    assert flag_coded("fatty_liver", ["fatty_liver", "mass"]) == "A"
    assert flag_coded("normal", ["fatty_liver", "mass"]) == "N"
