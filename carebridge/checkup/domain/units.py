"""Units of measure (UCUM codes) and the conversion of an entered value to an item's canonical unit.

Every numeric item stores its value in one canonical unit (the SI unit Chinese laboratories report:
mmol/L for glucose and lipids, μmol/L for creatinine and uric acid, g/L for haemoglobin). A room or an
analyser may report another unit; the value is converted here or refused. Two kinds of conversion exist:

* the same quantity on another scale (g/dL → g/L × 10, 10^3/μL = 10^9/L), whatever the analyte;
* mass concentration ↔ amount-of-substance concentration, which depends on the molar mass of the
  analyte (glucose: 1 mmol/L = 18.0 mg/dL; total cholesterol 38.67; triglycerides 88.57; creatinine
  1 mg/dL = 88.4 μmol/L; uric acid 59.48; urea nitrogen 2.8; bilirubin 17.1; calcium 4.008).

A unit nobody knows, or one that cannot be converted for this analyte, raises :class:`UnitError` with
a message a person can act on; the caller stores nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _


class UnitError(ValueError):
    """An entered unit is unknown or cannot be converted to the item's canonical unit."""


# Spellings seen on analysers, forms and LIS exports → the UCUM code. Keys are lower case, no spaces.
_ALIASES: dict[str, str] = {
    "mmol/l": "mmol/L",
    "umol/l": "umol/L",
    "μmol/l": "umol/L",
    "µmol/l": "umol/L",
    "mg/dl": "mg/dL",
    "mg/l": "mg/L",
    "g/dl": "g/dL",
    "g/l": "g/L",
    "10*9/l": "10*9/L",
    "10^9/l": "10*9/L",
    "×10^9/l": "10*9/L",
    "x10^9/l": "10*9/L",
    "×10⁹/l": "10*9/L",
    "10⁹/l": "10*9/L",
    "10*3/ul": "10*3/uL",
    "10^3/ul": "10*3/uL",
    "10^3/μl": "10*3/uL",
    "k/ul": "10*3/uL",
    "10*12/l": "10*12/L",
    "10^12/l": "10*12/L",
    "×10^12/l": "10*12/L",
    "x10^12/l": "10*12/L",
    "×10¹²/l": "10*12/L",
    "10¹²/l": "10*12/L",
    "10*6/ul": "10*6/uL",
    "10^6/ul": "10*6/uL",
    "10^6/μl": "10*6/uL",
    "m/ul": "10*6/uL",
    # Enzyme activity: laboratories write U/L and IU/L for the same figure.
    "u/l": "U/L",
    "iu/l": "U/L",
    "[iu]/l": "U/L",
    "ng/ml": "ng/mL",
    "ug/l": "ug/L",
    "μg/l": "ug/L",
    "u/ml": "U/mL",
    "ku/l": "kU/L",
    "%": "%",
    "mmhg": "mm[Hg]",
    "mm[hg]": "mm[Hg]",
    "kpa": "kPa",
    "kg": "kg",
    "cm": "cm",
    "m": "m",
    "kg/m2": "kg/m2",
    "kg/m²": "kg/m2",
    "/min": "/min",
    "次/分": "/min",
    "bpm": "/min",
    "/[hpf]": "/[HPF]",
    "/hpf": "/[HPF]",
    "/hp": "/[HPF]",
    "个/hp": "/[HPF]",
    "个/高倍视野": "/[HPF]",
    "fl": "fL",
    "pg": "pg",
    "mm": "mm",
    "pmol/l": "pmol/L",
    "miu/l": "m[IU]/L",
    "m[iu]/l": "m[IU]/L",
    "uiu/ml": "m[IU]/L",
    "μiu/ml": "m[IU]/L",
}
KNOWN_UNITS = frozenset(_ALIASES.values())

# The same quantity on another scale: value_in_to = value_in_from × factor.
_SCALES: dict[tuple[str, str], Decimal] = {
    ("g/dL", "g/L"): Decimal(10),
    ("mg/dL", "mg/L"): Decimal(10),
    ("10*3/uL", "10*9/L"): Decimal(1),
    ("10*6/uL", "10*12/L"): Decimal(1),
    ("ug/L", "ng/mL"): Decimal(1),
    ("kU/L", "U/mL"): Decimal(1),
    ("umol/L", "mmol/L"): Decimal("0.001"),
    ("m", "cm"): Decimal(100),
    ("kPa", "mm[Hg]"): Decimal("7.50062"),
}


class MolarFactor(NamedTuple):
    """``molar = mass × multiplier / divisor`` between a mass unit and an amount-of-substance unit."""

    mass_unit: str
    molar_unit: str
    multiplier: Decimal
    divisor: Decimal


# Per analyte (``Item.analyte``): the factors of the laboratory literature, as the issue lists them.
MOLAR: dict[str, MolarFactor] = {
    "glucose": MolarFactor("mg/dL", "mmol/L", Decimal(1), Decimal("18.0")),
    "cholesterol": MolarFactor("mg/dL", "mmol/L", Decimal(1), Decimal("38.67")),
    "triglycerides": MolarFactor("mg/dL", "mmol/L", Decimal(1), Decimal("88.57")),
    "creatinine": MolarFactor("mg/dL", "umol/L", Decimal("88.4"), Decimal(1)),
    "uric_acid": MolarFactor("mg/dL", "umol/L", Decimal("59.48"), Decimal(1)),
    "urea": MolarFactor("mg/dL", "mmol/L", Decimal(1), Decimal("2.8")),
    "bilirubin": MolarFactor("mg/dL", "umol/L", Decimal("17.1"), Decimal(1)),
    "calcium": MolarFactor("mg/dL", "mmol/L", Decimal(1), Decimal("4.008")),
}


def normalise_unit(unit: str) -> str:
    """The UCUM code for a spelling (``"μmol/l"`` → ``"umol/L"``); ``UnitError`` when unknown.

    An empty unit stays empty (items without a unit: grades, findings, text)."""
    cleaned = unit.strip()
    if not cleaned:
        return ""
    if cleaned in KNOWN_UNITS:
        return cleaned
    code = _ALIASES.get(cleaned.replace(" ", "").lower())
    if code is None:
        raise UnitError(_("“%(unit)s” is not a unit this system knows.") % {"unit": cleaned})
    return code


def _scale(source: str, target: str) -> Decimal | None:
    if source == target:
        return Decimal(1)
    if (source, target) in _SCALES:
        return _SCALES[(source, target)]
    if (target, source) in _SCALES:
        return Decimal(1) / _SCALES[(target, source)]
    return None


def conversion_factor(source: str, target: str, *, analyte: str = "") -> Decimal | None:
    """The factor that takes a value in ``source`` to ``target`` (both UCUM codes), or ``None``."""
    direct = _scale(source, target)
    if direct is not None:
        return direct
    molar = MOLAR.get(analyte)
    if molar is None:
        return None
    to_molar = molar.multiplier / molar.divisor
    # mass → (scale) → mass unit → molar unit → (scale) → target
    into_mass, out_of_molar = _scale(source, molar.mass_unit), _scale(molar.molar_unit, target)
    if into_mass is not None and out_of_molar is not None:
        return into_mass * to_molar * out_of_molar
    into_molar, out_of_mass = _scale(source, molar.molar_unit), _scale(molar.mass_unit, target)
    if into_molar is not None and out_of_mass is not None:
        return into_molar / to_molar * out_of_mass
    return None


def convert(value: Decimal, *, unit: str, canonical: str, analyte: str = "", item_name: str = "") -> Decimal:
    """``value`` in ``unit`` expressed in ``canonical``; ``UnitError`` if that cannot be done."""
    source = normalise_unit(unit) if unit.strip() else canonical
    target = normalise_unit(canonical)
    factor = conversion_factor(source, target, analyte=analyte)
    if factor is None:
        raise UnitError(
            _("A value in %(unit)s cannot be converted to %(canonical)s for %(item)s.")
            % {"unit": source, "canonical": target, "item": item_name or analyte or target}
        )
    return value * factor


def units_for(canonical: str, *, analyte: str = "") -> list[str]:
    """The units a value of this item may be entered in (the canonical one first)."""
    target = normalise_unit(canonical)
    if not target:
        return []
    found = [target]
    for unit in sorted(KNOWN_UNITS):
        if unit != target and conversion_factor(unit, target, analyte=analyte) is not None:
            found.append(unit)
    return found


# How a UCUM code is printed for people (the code stays what is stored and exchanged).
_PRINTED = {
    "10*9/L": "×10⁹/L",
    "10*12/L": "×10¹²/L",
    "10*3/uL": "×10³/μL",
    "10*6/uL": "×10⁶/μL",
    "umol/L": "μmol/L",
    "ug/L": "μg/L",
    "mm[Hg]": "mmHg",
    "kg/m2": "kg/m²",
    "/[HPF]": "/HP",
    "m[IU]/L": "mIU/L",
}


def unit_label(code: str) -> str:
    """``"mm[Hg]"`` → ``"mmHg"``, ``"10*9/L"`` → ``"×10⁹/L"``: the unit as a report prints it."""
    return _PRINTED.get(code, code)
