"""Pure pieces of the group report (团检报告): whether a person has a reportable finding, which stratum
of the reference population a person falls in, and the small-cell suppression of the employer's version.

Suppression (the employer's version holds aggregates only): a count from 1 to 4 is never shown; where a
row of counts is shown with its total, one hidden cell could be recovered by subtraction, so the next
smallest cell is hidden with it (complementary suppression). Zero is shown: it discloses no one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

SMALL_CELL = 5


@dataclass(frozen=True)
class ResultFact:
    """What a criterion reads of one result."""

    value: Decimal | None
    text: str
    flag: str


def _matches(criterion: Mapping[str, Any], fact: ResultFact) -> bool:
    op = criterion.get("op", "")
    threshold = criterion.get("value")
    if op in ("high", "low"):
        return fact.flag == op[0].upper()
    if op == "abnormal":
        return fact.flag != "N"
    if op == "coded_in":
        return fact.text in criterion.get("codes", ())
    if op == "positive":
        return fact.text == "positive"
    if fact.value is None or threshold is None:
        return False
    value, limit = fact.value, Decimal(str(threshold))
    return {
        "gte": value >= limit,
        "gt": value > limit,
        "lte": value <= limit,
        "lt": value < limit,
    }.get(op, False)


def finding_status(
    criteria: Sequence[Mapping[str, Any]],
    advice_codes: Iterable[str],
    *,
    sex: str,
    results: Mapping[str, ResultFact],
    advice: set[str],
) -> bool | None:
    """``True`` when the person has the finding, ``False`` when assessed without it, ``None`` when
    nothing the finding reads was examined (the person is not in its denominator)."""
    assessed = False
    for criterion in criteria:
        if criterion.get("sex") and criterion["sex"] != sex:
            continue
        fact = results.get(criterion.get("item", ""))
        if fact is None:
            continue
        assessed = True
        if _matches(criterion, fact):
            return True
    if advice & set(advice_codes):
        return True
    return False if assessed else None


@dataclass(frozen=True)
class Stratum:
    """An age/sex stratum of the reference population (``age_max`` ``None``: and over)."""

    sex: str
    age_min: int
    age_max: int | None
    size: int

    def holds(self, sex: str, age: int) -> bool:
        return sex == self.sex and age >= self.age_min and (self.age_max is None or age <= self.age_max)

    @property
    def key(self) -> str:
        return f"{self.sex}:{self.age_min}-{'' if self.age_max is None else self.age_max}"


def stratum_index(strata: Sequence[Stratum], sex: str, age: int | None) -> int | None:
    if age is None:
        return None
    for index, stratum in enumerate(strata):
        if stratum.holds(sex, age):
            return index
    return None


def rate_for(rates: Iterable[tuple[str, int, int | None, Decimal]], stratum: Stratum) -> float | None:
    """The reference rate of the band that holds the stratum's lower age, for its sex."""
    for sex, low, high, rate in rates:
        if sex == stratum.sex and low <= stratum.age_min and (high is None or stratum.age_min <= high):
            return float(rate)
    return None


def is_small(count: int | None) -> bool:
    return count is not None and 0 < count < SMALL_CELL


def suppress_row(counts: Sequence[int]) -> list[int | None]:
    """The counts of a row shown with its total, ``None`` where hidden: every count from 1 to 4, and when
    that hides a single cell, the smallest other positive cell too (so no subtraction recovers it)."""
    shown: list[int | None] = [None if is_small(c) else c for c in counts]
    hidden = [i for i, value in enumerate(shown) if value is None]
    if len(hidden) == 1:
        others = [(c, i) for i, c in enumerate(counts) if shown[i] is not None and c > 0]
        if others:
            shown[min(others)[1]] = None
    return shown


def share_of_ages(strata: Sequence[Stratum], below: int) -> float:
    """The standard population's share younger than ``below`` (for the sentence that explains a rank)."""
    total = sum(s.size for s in strata)
    young = sum(s.size for s in strata if s.age_max is not None and s.age_max < below)
    return young / total if total else 0.0


def share_of_men(strata: Sequence[Stratum]) -> float:
    total = sum(s.size for s in strata)
    return sum(s.size for s in strata if s.sex == "M") / total if total else 0.0


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(value: int) -> str:
    """一, 十二, 三十五 … (ranks and levels in the employer's version, so that no small number appears
    as a digit where a reader could take it for a count of people)."""
    if value < 0:
        return "负" + chinese_number(-value)
    if value < 10:
        return CHINESE_DIGITS[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        head = "" if tens == 1 else CHINESE_DIGITS[tens]
        return f"{head}十{CHINESE_DIGITS[ones] if ones else ''}"
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        if rest == 0:
            return f"{CHINESE_DIGITS[hundreds]}百"
        middle = "零" if rest < 10 else ""
        tail = chinese_number(rest) if rest >= 20 or rest < 10 else "一" + chinese_number(rest)
        return f"{CHINESE_DIGITS[hundreds]}百{middle}{tail}"
    return str(value)
