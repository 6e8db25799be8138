"""ICD-10 chapters and code handling (no database)."""

from __future__ import annotations

import itertools

import pytest

from carebridge.patients.domain import icd10


@pytest.mark.parametrize(
    ("code", "roman"),
    [
        ("A00", "I"),
        ("B99", "I"),
        ("C00", "II"),
        ("C97", "II"),
        ("D48.9", "II"),
        ("D50", "III"),
        ("D89", "III"),
        ("E90", "IV"),
        ("H59", "VII"),
        ("H60", "VIII"),
        ("H95", "VIII"),
        ("I21.001", "IX"),
        ("P96", "XVI"),
        ("S00", "XIX"),
        ("T98", "XIX"),
        ("V01", "XX"),
        ("Y98", "XX"),
        ("Z00.0", "XXI"),
        ("U07.1", "XXII"),
        ("U85", "XXII"),
    ],
)
def test_chapter_of_puts_boundary_codes_in_the_right_chapter(code: str, roman: str) -> None:
    chapter = icd10.chapter_of(code)
    assert chapter is not None
    assert chapter.roman == roman


@pytest.mark.parametrize("code", ["D49", "E91", "H96", "P97", "T99", "V00", "Y99", "U86", "not a code"])
def test_chapter_of_returns_none_outside_every_range(code: str) -> None:
    assert icd10.chapter_of(code) is None


def test_chapters_are_numbered_in_order_and_do_not_overlap() -> None:
    assert [chapter.number for chapter in icd10.CHAPTERS] == list(range(1, 23))
    ordered = sorted(icd10.CHAPTERS[:21], key=lambda chapter: chapter.first)
    for before, after in itertools.pairwise(ordered):
        assert before.last < after.first
    assert all(chapter.title_zh and chapter.title_en for chapter in icd10.CHAPTERS)
    assert icd10.CHAPTERS[1].span == "C00–D48"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("I21.0", "I21.0"),
        ("i210", "I21.0"),
        ("i21.0", "I21.0"),
        (" I 21 . 0 ", "I21.0"),
        ("I21.001", "I21.001"),
        ("i21001", "I21.001"),
        ("I10", "I10"),
        ("i10.x00", "I10.X00"),
        ("Ｉ２１．０", "I21.0"),
        ("A17.0†", "A17.0"),
        ("G01*", "G01"),
        ("u07.1", "U07.1"),
    ],
)
def test_normalise_accepts_common_spellings(raw: str, canonical: str) -> None:
    assert icd10.normalise(raw) == canonical
    assert icd10.is_valid(raw)


@pytest.mark.parametrize(
    "code", ["", "I", "I2", "121.0", "II1.0", "I21.", "I21..0", "I21.00001", "I21-0", "I21.0.1", "心梗"]
)
def test_malformed_codes_are_rejected(code: str) -> None:
    assert not icd10.is_valid(code)
    with pytest.raises(ValueError, match="not an ICD-10 code"):
        icd10.normalise(code)
    with pytest.raises(ValueError, match="not an ICD-10 code"):
        icd10.category(code)


def test_category_is_the_three_character_head() -> None:
    assert icd10.category("I21.001") == "I21"
    assert icd10.category("i210") == "I21"
    assert icd10.category("N40") == "N40"
