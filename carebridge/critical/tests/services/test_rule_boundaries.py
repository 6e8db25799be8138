"""Each default rule (the seed's list, 篇7 2.2.5) fires on its threshold exactly as its operator says and
not on the other side — at each boundary, in the item's canonical unit and in a unit the result is
converted from — through ``result_record``, as every result arrives."""

from __future__ import annotations

import pytest

from carebridge.checkup.tests.support.people import record
from carebridge.critical.domain.defaults import DEFAULT_RULES
from carebridge.critical.models import Finding, Notification

pytestmark = pytest.mark.django_db

# (rule, item, value, unit, fires)
CASES = [
    # WBC ≤ 3.0 ×10⁹/L: the limit itself fires.
    ("WBC-LOW", "WBC", "3.0", "", True),
    ("WBC-LOW", "WBC", "3.01", "", False),
    ("WBC-LOW", "WBC", "3.0", "10^3/uL", True),
    ("WBC-LOW", "WBC", "3.01", "10^3/uL", False),
    # RBC < 3.0 or > 7.0 ×10¹²/L: both limits are normal.
    ("RBC-LOW", "RBC", "3.0", "", False),
    ("RBC-LOW", "RBC", "2.99", "", True),
    ("RBC-LOW", "RBC", "2.99", "10^6/uL", True),
    ("RBC-LOW", "RBC", "3.00", "10^6/uL", False),
    ("RBC-HIGH", "RBC", "7.0", "", False),
    ("RBC-HIGH", "RBC", "7.01", "", True),
    ("RBC-HIGH", "RBC", "7.01", "10^6/uL", True),
    ("RBC-HIGH", "RBC", "7.00", "10^6/uL", False),
    # PLT < 90 or ≥ 400 ×10⁹/L.
    ("PLT-LOW", "PLT", "90", "", False),
    ("PLT-LOW", "PLT", "89.9", "", True),
    ("PLT-LOW", "PLT", "89.9", "10^3/uL", True),
    ("PLT-LOW", "PLT", "90", "10^3/uL", False),
    ("PLT-HIGH", "PLT", "400", "", True),
    ("PLT-HIGH", "PLT", "399.9", "", False),
    ("PLT-HIGH", "PLT", "400", "10^3/uL", True),
    ("PLT-HIGH", "PLT", "399.9", "10^3/uL", False),
    # Hb < 90 g/L.
    ("HB-LOW", "HGB", "90", "", False),
    ("HB-LOW", "HGB", "89.9", "", True),
    ("HB-LOW", "HGB", "8.99", "g/dL", True),
    ("HB-LOW", "HGB", "9.0", "g/dL", False),
    # Urine microscopy above the "15–30 /HP" grade.
    ("UWBC-HIGH", "UWBC", "15-30", "", False),
    ("UWBC-HIGH", "UWBC", "30-50", "", True),
    ("URBC-HIGH", "URBC", "15-30", "", False),
    ("URBC-HIGH", "URBC", "30-50", "", True),
    # Dipstick grades, also as the analyser writes them ("2+").
    ("UKET", "UKET", "+", "", False),
    ("UKET", "UKET", "++", "", True),
    ("UKET", "UKET", "2+", "", True),
    ("UGLU", "UGLU", "+", "", False),
    ("UGLU", "UGLU", "++", "", True),
    ("UGLU", "UGLU", "2+", "", True),
    ("UPRO", "UPRO", "±", "", False),
    ("UPRO", "UPRO", "+", "", True),
    ("UPRO", "UPRO", "1+", "", True),
    # Faecal occult blood positive.
    ("FOBT", "FOBT", "negative", "", False),
    ("FOBT", "FOBT", "positive", "", True),
    ("FOBT", "FOBT", "阳性", "", True),
    # Fasting glucose ≥ 7.0 mmol/L (126 mg/dL = 7.0 mmol/L exactly).
    ("FPG-HIGH", "GLU", "7.0", "", True),
    ("FPG-HIGH", "GLU", "6.99", "", False),
    ("FPG-HIGH", "GLU", "126", "mg/dL", True),
    ("FPG-HIGH", "GLU", "125.9", "mg/dL", False),
    # 2-hour glucose ≥ 11.1 mmol/L (199.8 mg/dL = 11.1 mmol/L).
    ("2HPG-HIGH", "GLU2H", "11.1", "", True),
    ("2HPG-HIGH", "GLU2H", "11.09", "", False),
    ("2HPG-HIGH", "GLU2H", "199.8", "mg/dL", True),
    ("2HPG-HIGH", "GLU2H", "199.7", "mg/dL", False),
    # CK > 2000 U/L (laboratories also write IU/L).
    ("CK-HIGH", "CK", "2000", "", False),
    ("CK-HIGH", "CK", "2001", "", True),
    ("CK-HIGH", "CK", "2000", "IU/L", False),
    ("CK-HIGH", "CK", "2000.1", "IU/L", True),
    # Creatinine > 133 μmol/L (0.133 mmol/L; 1.51 mg/dL = 133.48 μmol/L).
    ("CREA-HIGH", "CREA", "133", "", False),
    ("CREA-HIGH", "CREA", "133.1", "", True),
    ("CREA-HIGH", "CREA", "0.133", "mmol/L", False),
    ("CREA-HIGH", "CREA", "0.1331", "mmol/L", True),
    ("CREA-HIGH", "CREA", "1.51", "mg/dL", True),
    ("CREA-HIGH", "CREA", "1.50", "mg/dL", False),
    # Any tumour marker above its reference upper limit (AFP ≤ 7.0 ng/mL, CEA ≤ 5.0, CA19-9 ≤ 37 U/mL).
    ("TM-HIGH", "AFP", "7.0", "", False),
    ("TM-HIGH", "AFP", "7.01", "", True),
    ("TM-HIGH", "AFP", "7.01", "ug/L", True),
    ("TM-HIGH", "CEA", "5.0", "ug/L", False),
    ("TM-HIGH", "CA199", "37", "kU/L", False),
    ("TM-HIGH", "CA199", "37.1", "kU/L", True),
    ("TM-HIGH", "PSA", "4.01", "", True),
    # Imaging that cannot exclude a malignant mass; a benign finding of the same organ does not fire.
    ("IMG-MALIGN", "USABD", "mass", "", True),
    ("IMG-MALIGN", "USABD", "liver_cyst", "", False),
    ("IMG-MALIGN", "USTHY", "suspicious", "", True),
    ("IMG-MALIGN", "USTHY", "nodule", "", False),
    ("IMG-MALIGN", "USPRO", "nodule", "", True),
    ("IMG-MALIGN", "CXR", "mass", "", True),
    ("IMG-MALIGN", "CXR", "small_nodule", "", False),
]


def _fired(result) -> set[str]:
    return set(Finding.objects.filter(result=result, is_current=True).values_list("rule__code", flat=True))


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}:{c[2]}{c[3]}" for c in CASES])
def test_each_default_rule_fires_exactly_at_its_boundary(visit, staff_chen, case):
    rule, item, value, unit, fires = case
    result = record(visit, item, value, staff_chen, unit=unit)
    assert (rule in _fired(result)) is fires, (result.value_numeric, result.value_text)
    assert Notification.objects.filter(visit=visit).exists() is fires


# TCT (women only): Bethesda categories that are malignant or pre-malignant fire, ASC-US and NILM do not.
@pytest.mark.parametrize(
    ("value", "fires"),
    [
        ("NILM", False),
        ("ASC-US", False),
        ("LSIL", True),
        ("ASC-H", True),
        ("HSIL", True),
        ("AGC", True),
        ("SCC", True),
    ],
)
def test_tct_fires_on_malignant_or_premalignant_cells(visit_woman, staff_chen, value, fires):
    result = record(visit_woman, "TCT", value, staff_chen)
    assert ("TCT-MALIGN" in _fired(result)) is fires


def test_the_cases_cover_every_default_rule():
    covered = {case[0] for case in CASES} | {"TCT-MALIGN"}
    assert covered == {rule.code for rule in DEFAULT_RULES}
    for code in covered - {"TCT-MALIGN"}:
        outcomes = {case[4] for case in CASES if case[0] == code}
        assert outcomes == {True, False}, code  # both sides of every boundary
