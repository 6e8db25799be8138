"""Reference ranges and the abnormal flag of a result.

A range applies to a sex (or both) and an age band ``[age_min, age_max)`` in whole years at the visit;
the most specific range wins (one sex before both; a narrower band before a wider one). Numeric values
are flagged low or high against the range's limits (the limits themselves are normal). Grades are
abnormal above the range's highest normal grade (``-`` unless the range says ``±``); a positive/negative
item is abnormal when positive; a coded finding is abnormal when its code says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from carebridge.checkup.choices import GRADES, ResultFlag, SexScope
from carebridge.lib.text import is_digits

POSITIVE_WORDS = frozenset({"+", "positive", "pos", "阳性", "p"})
NEGATIVE_WORDS = frozenset({"-", "negative", "neg", "阴性", "n"})


@dataclass(frozen=True)
class Range:
    sex: str
    age_min: int | None
    age_max: int | None
    low: Decimal | None
    high: Decimal | None
    normal_grade: str = ""
    text: str = ""

    def applies(self, *, sex: str, age: int | None) -> bool:
        if self.sex not in (SexScope.ANY, sex):
            return False
        if age is None:  # an unknown age matches only ranges without an age band
            return self.age_min is None and self.age_max is None
        return (self.age_min is None or age >= self.age_min) and (self.age_max is None or age < self.age_max)

    @property
    def specificity(self) -> tuple[int, int]:
        width = (self.age_max if self.age_max is not None else 200) - (self.age_min or 0)
        return (0 if self.sex != SexScope.ANY else 1, width)

    def display(self, decimals: int = 2) -> str:
        if self.text:
            return self.text
        if self.normal_grade:
            return self.normal_grade
        if self.low is not None and self.high is not None:
            return f"{_fmt(self.low, decimals)}–{_fmt(self.high, decimals)}"
        if self.high is not None:
            return f"≤{_fmt(self.high, decimals)}"
        if self.low is not None:
            return f"≥{_fmt(self.low, decimals)}"
        return ""


def _fmt(value: Decimal, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def age_on(birth_date: dt.date | None, day: dt.date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def pick_range(ranges: Iterable[Range], *, sex: str, age: int | None) -> Range | None:
    """The most specific range that applies to this sex and age, or ``None``."""
    candidates = [r for r in ranges if r.applies(sex=sex, age=age)]
    return min(candidates, key=lambda r: r.specificity) if candidates else None


def flag_numeric(value: Decimal, reference: Range | None) -> str:
    if reference is None:
        return ResultFlag.NORMAL
    if reference.low is not None and value < reference.low:
        return ResultFlag.LOW
    if reference.high is not None and value > reference.high:
        return ResultFlag.HIGH
    return ResultFlag.NORMAL


def normalise_grade(value: str) -> str:
    """``"2+"`` → ``"++"``, ``"+-"`` → ``"±"``; ``ValueError`` for anything that is not a grade."""
    cleaned = value.strip().replace(" ", "").replace("＋", "+").replace("－", "-")
    cleaned = {"+-": "±", "-+": "±", "neg": "-", "阴性": "-"}.get(cleaned.lower(), cleaned)
    if len(cleaned) == 2 and is_digits(cleaned[0]) and cleaned[1] == "+":
        cleaned = "+" * int(cleaned[0])
    if cleaned not in GRADES:
        raise ValueError(_("Enter a grade: %(grades)s.") % {"grades": " ".join(GRADES)})
    return cleaned


def grade_rank(grade: str) -> int:
    return GRADES.index(grade)


def flag_grade(grade: str, reference: Range | None) -> str:
    normal = (reference.normal_grade if reference is not None else "") or "-"
    return ResultFlag.ABNORMAL if grade_rank(grade) > grade_rank(normal) else ResultFlag.NORMAL


def normalise_posneg(value: str) -> str:
    """``"positive"`` or ``"negative"``; ``ValueError`` otherwise."""
    cleaned = value.strip().lower()
    if cleaned in POSITIVE_WORDS:
        return "positive"
    if cleaned in NEGATIVE_WORDS:
        return "negative"
    raise ValueError(_("Enter positive or negative."))


def flag_posneg(value: str) -> str:
    return ResultFlag.ABNORMAL if value == "positive" else ResultFlag.NORMAL


def flag_coded(code: str, abnormal_codes: Sequence[str]) -> str:
    return ResultFlag.ABNORMAL if code in abnormal_codes else ResultFlag.NORMAL
