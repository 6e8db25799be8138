"""ICD-10 chapters and code handling for disease classification (疾病分类).

The 22 chapter ranges are those of WHO ICD-10 (2019 edition), which the national
clinical version used by Chinese hospitals (《疾病分类与代码国家临床版 2.0》, built on
GB/T 14396) keeps unchanged: the national version only extends codes below the
4-character subcategory (``I21.0`` → ``I21.001``), never moves a category to another
chapter. Chapter titles in Chinese follow the national version's wording.

Two pairs of chapters share a letter and are easy to get wrong: D00–D48 (in situ,
benign and uncertain neoplasms) belong to chapter II with the C codes while D50–D89
are chapter III, and H00–H59 (eye) are chapter VII while H60–H95 (ear) are chapter
VIII. Chapter XIX spans two letters (S00–T98) and chapter XX four (V01–Y98).

Validation here is syntactic (a letter, two digits, optionally a dot and 1–4 letters
or digits); a well-formed code may still fall outside every chapter (``D49``,
``U99``), in which case :func:`chapter_of` returns ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carebridge.lib.text import half_width

__all__ = [
    "CHAPTERS",
    "Chapter",
    "category",
    "chapter_of",
    "is_valid",
    "normalise",
]


@dataclass(frozen=True, slots=True)
class Chapter:
    """One ICD-10 chapter: the closed range ``first``–``last`` of 3-character categories."""

    number: int
    roman: str
    first: str
    last: str
    title_zh: str
    title_en: str

    @property
    def span(self) -> str:
        """The range as printed in the classification, e.g. ``C00–D48``."""
        return f"{self.first}–{self.last}"


# fmt: off
CHAPTERS: tuple[Chapter, ...] = (
    Chapter(1, "I", "A00", "B99", "某些传染病和寄生虫病",
            "Certain infectious and parasitic diseases"),
    Chapter(2, "II", "C00", "D48", "肿瘤", "Neoplasms"),
    Chapter(3, "III", "D50", "D89", "血液及造血器官疾病和涉及免疫机制的某些疾患",
            "Diseases of the blood and blood-forming organs and certain disorders "
            "involving the immune mechanism"),
    Chapter(4, "IV", "E00", "E90", "内分泌、营养和代谢疾病",
            "Endocrine, nutritional and metabolic diseases"),
    Chapter(5, "V", "F00", "F99", "精神和行为障碍", "Mental and behavioural disorders"),
    Chapter(6, "VI", "G00", "G99", "神经系统疾病", "Diseases of the nervous system"),
    Chapter(7, "VII", "H00", "H59", "眼和附器疾病", "Diseases of the eye and adnexa"),
    Chapter(8, "VIII", "H60", "H95", "耳和乳突疾病",
            "Diseases of the ear and mastoid process"),
    Chapter(9, "IX", "I00", "I99", "循环系统疾病", "Diseases of the circulatory system"),
    Chapter(10, "X", "J00", "J99", "呼吸系统疾病", "Diseases of the respiratory system"),
    Chapter(11, "XI", "K00", "K93", "消化系统疾病", "Diseases of the digestive system"),
    Chapter(12, "XII", "L00", "L99", "皮肤和皮下组织疾病",
            "Diseases of the skin and subcutaneous tissue"),
    Chapter(13, "XIII", "M00", "M99", "肌肉骨骼系统和结缔组织疾病",
            "Diseases of the musculoskeletal system and connective tissue"),
    Chapter(14, "XIV", "N00", "N99", "泌尿生殖系统疾病",
            "Diseases of the genitourinary system"),
    Chapter(15, "XV", "O00", "O99", "妊娠、分娩和产褥期",
            "Pregnancy, childbirth and the puerperium"),
    Chapter(16, "XVI", "P00", "P96", "起源于围生期的某些情况",
            "Certain conditions originating in the perinatal period"),
    Chapter(17, "XVII", "Q00", "Q99", "先天性畸形、变形和染色体异常",
            "Congenital malformations, deformations and chromosomal abnormalities"),
    Chapter(18, "XVIII", "R00", "R99", "症状、体征和临床与实验室异常所见，不可归类在他处者",
            "Symptoms, signs and abnormal clinical and laboratory findings, "
            "not elsewhere classified"),
    Chapter(19, "XIX", "S00", "T98", "损伤、中毒和外因的某些其他后果",
            "Injury, poisoning and certain other consequences of external causes"),
    Chapter(20, "XX", "V01", "Y98", "疾病和死亡的外因",
            "External causes of morbidity and mortality"),
    Chapter(21, "XXI", "Z00", "Z99", "影响健康状态和与保健机构接触的因素",
            "Factors influencing health status and contact with health services"),
    Chapter(22, "XXII", "U00", "U85", "用于特殊目的的编码", "Codes for special purposes"),
)
# fmt: on

# Canonical form: letter, two digits, optionally "." and 1–4 letters or digits
# (WHO 4th character, the national version's 5th–7th, or the "x" placeholder as in I10.X00).
_CANONICAL = re.compile(r"[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?")
# Loose input: the dot may be missing ("i210"); a trailing dagger/asterisk/plus marks
# the aetiology/manifestation pair (A17.0† G01*) and carries no classification meaning.
_LOOSE = re.compile(r"([A-Z][0-9]{2})\.?([0-9A-Z]{0,4})[†*+]?")


def normalise(code: str) -> str:
    """Return ``code`` in canonical form (``'i 210'`` → ``'I21.0'``, ``'I21.001'`` kept).

    Accepts lower case, spaces, full-width characters, a missing dot and a trailing
    dagger or asterisk. Raises ``ValueError`` when the input is not an ICD-10 code.
    """
    text = "".join(half_width(code).split()).upper()
    match = _LOOSE.fullmatch(text)
    if match is None or (text[3:4] == "." and not match.group(2)):
        raise ValueError(f"not an ICD-10 code: {code!r}")
    head, tail = match.groups()
    return f"{head}.{tail}" if tail else head


def is_valid(code: str) -> bool:
    """Whether ``code`` is a well-formed ICD-10 code in any spelling :func:`normalise` accepts."""
    try:
        canonical = normalise(code)
    except ValueError:
        return False
    return _CANONICAL.fullmatch(canonical) is not None


def category(code: str) -> str:
    """The 3-character category of ``code`` (``'I21.001'`` → ``'I21'``); ``ValueError`` if invalid."""
    return normalise(code)[:3]


def chapter_of(code: str) -> Chapter | None:
    """The chapter whose range holds the category of ``code``, or ``None``.

    ``None`` for malformed codes and for well-formed ones outside every range (``D49``).
    """
    try:
        key = category(code)
    except ValueError:
        return None
    for chapter in CHAPTERS:
        if chapter.first <= key <= chapter.last:
            return chapter
    return None
