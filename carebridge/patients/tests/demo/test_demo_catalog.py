"""The demo-data catalogue is consistent with ICD-10 and the region table (no database)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from carebridge.patients.demo import catalog
from carebridge.patients.domain import icd10

REGIONS_CSV = Path(__file__).resolve().parents[3] / "core" / "data" / "regions_gb2260.csv"

# Chapters a department's diagnoses may come from, besides XVIII (symptoms) and XXI (encounters).
SENSIBLE_CHAPTERS: dict[str, set[int]] = {
    "CARD": {9},
    "RESP": {2, 6, 9, 10},
    "GAST": {11},
    "NEUR": {6, 9},
    "ENDO": {4, 13},
    "NEPH": {4, 9, 14},
    "HEMA": {2, 3},
    "ONCO": {2},
    "INFE": {1, 10, 22},
    "GSUR": {2, 4, 11},
    "ORTH": {13, 19},
    "NSUR": {2, 6, 9, 19},
    "CTSU": {2, 9, 10, 17, 19},
    "UROL": {2, 14},
    "GYNE": {2, 14, 15},
    "OBST": {15},
    "PEDI": {1, 3, 10},
    "NEON": {16, 17},
    "OPHT": {4, 7},
    "ENT": {2, 6, 8, 10},
    "STOM": {11, 17},
    "DERM": {1, 12},
    "EMER": {9, 19},
    "ICU": {1, 9, 10, 11, 14, 19},
    "REHA": {6, 9, 13, 19},
    "TCM": {4, 6, 9, 10, 11, 13, 14},
    "TUINA": {6, 13, 19},
    "CHKP": set(),
}


def _regions() -> dict[str, tuple[str, str]]:
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return {row["code"]: (row["name"], row["level"]) for row in csv.DictReader(lines)}


def test_department_codes_are_unique_short_ascii() -> None:
    codes = [spec.code for spec in catalog.DEPARTMENTS]
    assert len(codes) == len(set(codes))
    assert all(code.isascii() and code.isupper() and 2 <= len(code) <= 6 for code in codes)
    assert set(catalog.DEPARTMENTS_BY_CODE) == set(codes)


def test_department_kinds_wards_and_parents_are_consistent() -> None:
    for spec in catalog.DEPARTMENTS:
        assert spec.kind in catalog.DEPARTMENT_KINDS
        if spec.kind == "clinical":
            assert 1 <= spec.wards <= 3, spec.code
        else:
            assert spec.wards == 0, spec.code
        if spec.parent is not None:
            assert spec.parent in catalog.DEPARTMENTS_BY_CODE
            assert spec.parent != spec.code


def test_complaint_routing_offices_exist() -> None:
    names = {spec.code: spec.name for spec in catalog.DEPARTMENTS}
    offices = [names[code] for code in catalog.ROUTING_OFFICES]
    assert offices == ["医患关系办公室", "护理部", "纪检监察室", "财务科"]
    assert "客户服务中心" in names.values()


def test_every_clinical_department_and_the_checkup_centre_have_diagnoses() -> None:
    expected = {spec.code for spec in catalog.DEPARTMENTS if spec.kind == "clinical"} | {"CHKP"}
    assert set(catalog.DIAGNOSES) == expected
    assert set(SENSIBLE_CHAPTERS) == expected
    for code, diagnoses in catalog.DIAGNOSES.items():
        assert 6 <= len(diagnoses) <= 12, code
        assert len({diagnosis.code for diagnosis in diagnoses}) == len(diagnoses), code


@pytest.mark.parametrize("department", sorted(catalog.DIAGNOSES))
def test_diagnoses_are_valid_icd10_in_a_sensible_chapter(department: str) -> None:
    allowed = SENSIBLE_CHAPTERS[department] | {18, 21}
    for diagnosis in catalog.DIAGNOSES[department]:
        assert icd10.is_valid(diagnosis.code), diagnosis
        assert icd10.normalise(diagnosis.code) == diagnosis.code, diagnosis
        chapter = icd10.chapter_of(diagnosis.code)
        assert chapter is not None, diagnosis
        assert chapter.number in allowed, (department, diagnosis, chapter.roman)
        assert diagnosis.name
        assert diagnosis.weight > 0


def test_checkup_centre_diagnoses_are_encounter_codes() -> None:
    codes = [diagnosis.code for diagnosis in catalog.DIAGNOSES["CHKP"]]
    assert "Z00.0" in codes
    assert all(icd10.category(code).startswith("Z") for code in codes)


def test_surgical_departments_are_clinical_departments() -> None:
    clinical = {spec.code for spec in catalog.DEPARTMENTS if spec.kind == "clinical"}
    assert clinical >= catalog.SURGICAL_DEPARTMENTS
    assert {"GSUR", "ORTH", "NSUR"} <= catalog.SURGICAL_DEPARTMENTS


def test_home_regions_are_counties_in_the_region_table() -> None:
    regions = _regions()
    codes = [code for code, _ in catalog.HOME_REGIONS]
    assert len(codes) == len(set(codes))
    for code, weight in catalog.HOME_REGIONS:
        assert code in regions, code
        assert regions[code][1] == "county", code
        assert weight > 0


def test_most_patients_come_from_nanjing() -> None:
    total = sum(weight for _, weight in catalog.HOME_REGIONS)
    nanjing = sum(weight for code, weight in catalog.HOME_REGIONS if code.startswith("3201"))
    assert nanjing / total > 0.6
    districts = "320102 320104 320105 320106 320111 320113 320114 320115 320116 320117 320118"
    assert {code for code, _ in catalog.HOME_REGIONS if code.startswith("3201")} == set(districts.split())


def test_hospitals_use_known_departments_and_counties() -> None:
    regions = _regions()
    for hospital in (catalog.DEMO_HOSPITAL, catalog.SECOND_HOSPITAL):
        assert regions[hospital.region][1] == "county"
        assert set(hospital.department_codes) <= set(catalog.DEPARTMENTS_BY_CODE)
        assert set(catalog.ROUTING_OFFICES) <= set(hospital.department_codes)
    assert catalog.DEMO_HOSPITAL.level == "3A"
    assert catalog.SECOND_HOSPITAL.level == "2A"
    assert len(catalog.SECOND_HOSPITAL.department_codes) < len(catalog.DEMO_HOSPITAL.department_codes)
    assert catalog.DEMO_HOSPITAL.code != catalog.SECOND_HOSPITAL.code


def test_names_are_single_distinct_characters() -> None:
    surnames = [surname for surname, _ in catalog.SURNAMES]
    assert len(surnames) >= 100
    assert len(surnames) == len(set(surnames))
    assert surnames[:3] == ["王", "李", "张"]
    pools = (
        catalog.GIVEN_NAME_CHARS_MALE,
        catalog.GIVEN_NAME_CHARS_FEMALE,
        catalog.GIVEN_NAME_CHARS_NEUTRAL,
    )
    for pool in pools:
        assert len(pool) >= 55
        assert len(pool) == len(set(pool))
        assert all(len(char) == 1 and "\u4e00" <= char <= "\u9fff" for char in pool)
    assert not set(catalog.GIVEN_NAME_CHARS_MALE) & set(catalog.GIVEN_NAME_CHARS_FEMALE)


def test_staff_titles_cover_doctors_nurses_and_others() -> None:
    assert catalog.STAFF_TITLES["doctor"] == ("主任医师", "副主任医师", "主治医师", "住院医师")
    assert catalog.STAFF_TITLES["nurse"][-1] == "护士"
    assert "客服专员" in catalog.STAFF_TITLES["agent"]
    assert "科员" in catalog.STAFF_TITLES["administrator"]


def test_streets_are_distinct() -> None:
    assert len(catalog.STREETS) >= 40
    assert len(catalog.STREETS) == len(set(catalog.STREETS))
