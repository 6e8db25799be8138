"""The starter catalogue holds every analyte of the seed's important-result list (篇7 2.2.5), with the
canonical units the critical-result rules are written in."""

from __future__ import annotations

import pytest

from carebridge.checkup.demo import catalogue as spec
from carebridge.checkup.demo.install import catalogue_install
from carebridge.checkup.models import Item, Package, RiskRule

pytestmark = pytest.mark.django_db

# analyte → (item code, canonical unit or item kind)
CRITICAL_LIST = {
    "WBC ≤3.0×10⁹/L": ("WBC", "10*9/L"),
    "RBC <3.0 or >7.0×10¹²/L": ("RBC", "10*12/L"),
    "PLT <90 or ≥400×10⁹/L": ("PLT", "10*9/L"),
    "Hb <90 g/L": ("HGB", "g/L"),
    "urine WBC >15–30/HP": ("UWBC", "coded"),
    "urine RBC >15–30/HP": ("URBC", "coded"),
    "urine ketones ≥++": ("UKET", "grade"),
    "urine glucose ≥++": ("UGLU", "grade"),
    "urine protein ≥+": ("UPRO", "grade"),
    "faecal occult blood positive": ("FOBT", "posneg"),
    "fasting glucose ≥7.0 mmol/L": ("GLU", "mmol/L"),
    "2-h glucose ≥11.1 mmol/L": ("GLU2H", "mmol/L"),
    "CK >2000 U/L": ("CK", "U/L"),
    "creatinine >133 μmol/L": ("CREA", "umol/L"),
    "AFP": ("AFP", "ng/mL"),
    "CEA": ("CEA", "ng/mL"),
    "CA125": ("CA125", "U/mL"),
    "CA19-9": ("CA199", "U/mL"),
    "PSA": ("PSA", "ng/mL"),
    "imaging: malignancy not excluded": ("USABD", "coded"),
    "chest imaging: malignancy not excluded": ("CXR", "coded"),
    "TCT malignant or pre-malignant cells": ("TCT", "coded"),
}


@pytest.mark.parametrize("analyte", sorted(CRITICAL_LIST))
def test_every_analyte_of_the_important_result_list_is_in_the_catalogue(centre, analyte):
    catalogue_install(department=centre)
    code, unit_or_kind = CRITICAL_LIST[analyte]
    item = Item.objects.get(hospital=centre.hospital, code=code)
    assert unit_or_kind in (item.unit, item.kind)
    if item.kind == "numeric":
        assert item.ranges.exists(), f"{code} needs a reference range"


def test_urine_microscopy_is_graded_with_15_30_and_what_lies_above_it(centre):
    catalogue = catalogue_install(department=centre)
    codes = list(catalogue.items["UWBC"].coded_values.values_list("code", flat=True))
    assert codes.index(">50") > codes.index("30-50") > codes.index("15-30")


def test_tct_uses_the_bethesda_categories(centre):
    catalogue = catalogue_install(department=centre)
    assert set(catalogue.items["TCT"].coded_values.values_list("code", flat=True)) >= {
        "NILM",
        "ASC-US",
        "LSIL",
        "ASC-H",
        "HSIL",
        "AGC",
        "SCC",
    }


def test_packages_are_standard_by_sex_and_age_and_add_ons(centre):
    catalogue_install(department=centre)
    standard = Package.objects.filter(kind="standard")
    assert {(p.sex, p.age_min) for p in standard} == {("M", 18), ("F", 18), ("M", 40), ("F", 40)}
    assert Package.objects.filter(kind="addon").count() == len(
        [p for p in spec.PACKAGES if p.kind == "addon"]
    )


def test_every_risk_rule_cites_its_source(centre):
    catalogue_install(department=centre)
    assert RiskRule.objects.count() == len(spec.RISK_RULES)
    assert not RiskRule.objects.filter(citation="").exists()
    assert set(RiskRule.objects.values_list("level", flat=True)) == {1, 2, 3, 4}


def test_installing_twice_changes_nothing(centre):
    first = catalogue_install(department=centre)
    second = catalogue_install(department=centre)
    assert Item.objects.count() == len(spec.ITEMS)
    assert first.items.keys() == second.items.keys()
