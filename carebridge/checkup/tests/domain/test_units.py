"""Unit conversion to an item's canonical unit (issue #11: a value in mg/dL is stored in mmol/L; a unit
that cannot be converted is refused with a clear message)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carebridge.checkup.domain.units import UnitError, convert, normalise_unit, units_for


def _round(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places))


@pytest.mark.parametrize(
    ("value", "unit", "canonical", "analyte", "expected"),
    [
        ("126", "mg/dL", "mmol/L", "glucose", "7.00"),  # 126 / 18.0
        ("7.0", "mmol/L", "mg/dL", "glucose", "126.00"),
        ("200", "mg/dL", "mmol/L", "cholesterol", "5.17"),  # 200 / 38.67
        ("150", "mg/dL", "mmol/L", "triglycerides", "1.69"),  # 150 / 88.57
        ("1.5", "mg/dL", "umol/L", "creatinine", "132.60"),  # 1.5 × 88.4
        ("7", "mg/dL", "umol/L", "uric_acid", "416.36"),  # 7 × 59.48
        ("13.5", "g/dL", "g/L", "", "135.00"),  # haemoglobin
        ("6.2", "10^3/μL", "10*9/L", "", "6.20"),
        ("0.1326", "mmol/L", "umol/L", "creatinine", "132.60"),
    ],
)
def test_it_converts_to_the_canonical_unit(value, unit, canonical, analyte, expected):
    assert _round(convert(Decimal(value), unit=unit, canonical=canonical, analyte=analyte)) == Decimal(
        expected
    )


def test_spellings_of_a_unit_are_one_ucum_code():
    assert normalise_unit("μmol/l") == normalise_unit("umol/L") == "umol/L"
    assert normalise_unit("×10^9/L") == "10*9/L"
    assert normalise_unit("IU/L") == "U/L"


def test_an_unknown_unit_is_refused_with_its_name():
    with pytest.raises(UnitError, match="furlongs"):
        convert(Decimal(1), unit="furlongs", canonical="mmol/L", analyte="glucose")


def test_a_mass_unit_without_a_molar_factor_for_the_analyte_is_refused_and_says_what_and_for_which_item():
    with pytest.raises(UnitError) as refused:
        convert(Decimal(1), unit="mg/dL", canonical="10*9/L", item_name="白细胞计数")
    assert (
        "mg/dL" in str(refused.value)
        and "10*9/L" in str(refused.value)
        and "白细胞计数" in str(refused.value)
    )


def test_glucose_in_mg_dl_cannot_become_grams_per_litre_of_haemoglobin():
    with pytest.raises(UnitError):
        convert(Decimal(100), unit="mg/dL", canonical="g/L", analyte="")


def test_the_units_offered_for_glucose_are_mmol_first_then_mg_dl():
    assert units_for("mmol/L", analyte="glucose")[:1] == ["mmol/L"]
    assert "mg/dL" in units_for("mmol/L", analyte="glucose")
    assert "mg/dL" not in units_for("10*9/L")
