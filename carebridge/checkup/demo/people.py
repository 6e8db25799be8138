"""Demo customers of the checkup centre and their results, year after year (no database here).

Each person has a health profile drawn once (body mass, blood pressure, glucose, lipids, liver, uric
acid, persistent findings such as fatty liver or a thyroid nodule) that drifts a little every year, so
the health record shows trends and the group reports see the same people again. Prevalences are those
of Chinese adult checkup populations, roughly: overweight four in ten, raised blood pressure one in
five, impaired fasting glucose one in ten and diabetes one in twenty, dyslipidaemia three in ten, fatty
liver a quarter, thyroid nodules a fifth; tumour markers above their limit a few in a hundred; imaging
that cannot exclude malignancy a few in a thousand. Customers are adults of the registry (individuals
come "through the patient registry"); their occupations follow the seed (篇7 1): civil servants 37.5%,
public institutions 48.6%, enterprises 12.8%, agriculture 1.1%.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# (name, occupation class, channel, share of the people): 32 groups as in the seed's mix.
GROUPS: tuple[tuple[str, str, str], ...] = (
    ("市财政局", "civil_servant", "employer"),
    ("市教育局", "civil_servant", "employer"),
    ("市卫生健康委员会", "civil_servant", "employer"),
    ("市公安局交通管理支队", "civil_servant", "employer"),
    ("区人民政府办公室", "civil_servant", "employer"),
    ("市税务局第一分局", "civil_servant", "employer"),
    ("市人力资源和社会保障局", "civil_servant", "employer"),
    ("市生态环境局", "civil_servant", "employer"),
    ("区市场监督管理局", "civil_servant", "employer"),
    ("市中级人民法院", "civil_servant", "employer"),
    ("市第一中学", "public_institution", "school"),
    ("市实验小学", "public_institution", "school"),
    ("省农业科学院", "public_institution", "employer"),
    ("市疾病预防控制中心", "public_institution", "employer"),
    ("市图书馆", "public_institution", "employer"),
    ("市广播电视台", "public_institution", "employer"),
    ("市第二人民医院", "public_institution", "employer"),
    ("市气象局", "public_institution", "employer"),
    ("市档案馆", "public_institution", "employer"),
    ("市职业技术学院", "public_institution", "school"),
    ("市自来水公司", "public_institution", "employer"),
    ("区社区卫生服务中心", "public_institution", "township"),
    ("市博物馆", "public_institution", "employer"),
    ("市体育运动学校", "public_institution", "school"),
    ("国网某供电公司", "enterprise", "employer"),
    ("市公交集团", "enterprise", "employer"),
    ("某机械制造有限公司", "enterprise", "employer"),
    ("某人寿保险公司", "enterprise", "insurer"),
    ("市燃气集团", "enterprise", "employer"),
    ("某电子科技有限公司", "enterprise", "employer"),
    ("城郊农业合作社", "agriculture", "employer"),
    ("某镇卫生院（乡镇医院合作）", "agriculture", "township"),
)
OCCUPATION_WEIGHTS = {
    "civil_servant": 37.5,
    "public_institution": 48.6,
    "enterprise": 12.8,
    "agriculture": 1.1,
}
INDIVIDUAL_SHARE = 0.15


@dataclass
class Person:
    index: int
    sex: str
    birth_date: dt.date
    phone: str
    group: int | None  # index into GROUPS
    occupation: str
    profile: dict[str, float] = field(default_factory=dict)
    findings: dict[str, str] = field(default_factory=dict)
    first_year: int = 0
    returns: float = 0.85


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return median * math.exp(rng.gauss(0, sigma))


def _profile(rng: random.Random, sex: str, age: int) -> tuple[dict[str, float], dict[str, str]]:
    man = sex == "M"
    bmi = rng.gauss(24.2 if man else 22.9, 3.2)
    sbp = rng.gauss(122 if man else 116, 13) + 0.45 * (age - 45) + 0.9 * (bmi - 23.5)
    diabetic = rng.random() < 0.03 + 0.0015 * max(age - 40, 0)
    glu = (
        rng.gauss(9.0, 1.8)
        if diabetic
        else _lognormal(rng, 5.05 + 0.01 * (age - 45) + 0.04 * (bmi - 23.5), 0.09)
    )
    tc = rng.gauss(4.85 + 0.012 * (age - 45), 0.85)
    profile = {
        "height": rng.gauss(170 if man else 159, 6 if man else 5),
        "bmi": bmi,
        "sbp": sbp,
        "dbp_offset": rng.gauss(0, 6),
        "glu": glu,
        "tc": tc,
        "tg": _lognormal(rng, 1.35 if man else 1.05, 0.45) * (1 + 0.05 * (bmi - 23.5)),
        "hdl": rng.gauss(1.15 if man else 1.4, 0.25),
        "alt": _lognormal(rng, 24 if man else 16, 0.45) * (1 + 0.06 * max(bmi - 24, 0)),
        "ua": rng.gauss(375 if man else 275, 70 if man else 55),
        "crea": rng.gauss(80 if man else 60, 11 if man else 9),
        "hgb": rng.gauss(150 if man else 131, 11 if man else 12),
        "wbc": rng.gauss(6.2, 1.4),
        "plt": rng.gauss(228, 50),
        "afp": _lognormal(rng, 2.8, 0.5),
        "cea": _lognormal(rng, 1.7, 0.55),
        "ca125": _lognormal(rng, 12, 0.55),
        "ca199": _lognormal(rng, 9, 0.6),
        "psa": _lognormal(rng, 0.7 + 0.03 * max(age - 40, 0), 0.6),
        "tsh": _lognormal(rng, 2.0, 0.45),
        "ck": _lognormal(rng, 110 if man else 80, 0.35),
    }
    findings = {
        "USABD": rng.choices(
            ("normal", "fatty_liver", "gallstone", "liver_cyst", "mass"),
            (60, 25 + 3 * max(bmi - 24, 0), 6, 5, 0.3),
        )[0],
        "USTHY": rng.choices(("normal", "nodule", "suspicious"), (76, 22 if not man else 15, 1.2))[0],
        "USBRE": rng.choices(("normal", "nodule", "suspicious"), (70, 28, 1.2))[0],
        "USPEL": rng.choices(("normal", "fibroid", "cyst", "mass"), (80, 12, 6, 0.3))[0],
        "USPRO": rng.choices(
            ("normal", "hyperplasia", "nodule"), (90 - max(age - 45, 0), 10 + max(age - 45, 0), 0.8)
        )[0],
        "CXR": rng.choices(("normal", "small_nodule", "old_lesion", "mass"), (85, 8, 6, 0.3))[0],
        "ECG": rng.choices(
            ("normal", "sinus_brady", "sinus_tachy", "st_t", "af", "block"), (84, 4, 2, 6 + 0.1 * age, 1, 2)
        )[0],
    }
    return profile, findings


def people(
    *, bases: Sequence[tuple[str, dt.date, str]], seed: int, first_year: int, years: int
) -> list[Person]:
    """Checkup customers drawn from registry patients: ``bases`` are their (sex, birth date, phone)."""
    rng = random.Random(seed)  # noqa: S311 - deterministic demo data, not cryptography
    occupations, weights = zip(*OCCUPATION_WEIGHTS.items(), strict=True)
    by_occupation: dict[str, list[int]] = {}
    for index, (_, occupation, _channel) in enumerate(GROUPS):
        by_occupation.setdefault(occupation, []).append(index)
    found = []
    for index, (sex, birth, phone) in enumerate(bases):
        age = ref_age(birth, dt.date(first_year, 6, 30))
        occupation = rng.choices(occupations, weights)[0]
        group = None if rng.random() < INDIVIDUAL_SHARE else rng.choice(by_occupation[occupation])
        profile, findings = _profile(rng, sex, age)
        found.append(
            Person(
                index=index,
                sex=sex,
                birth_date=birth,
                phone=phone,
                group=group,
                occupation=occupation,
                profile=profile,
                findings=findings,
                # Most start in the first year; newcomers join later (people keep coming back).
                first_year=first_year + rng.choices(range(years), (70, 18, 12)[:years])[0],
                returns=0.9 if group is not None else 0.6,
            )
        )
    return found


def ref_age(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def drift(person: Person, rng: random.Random) -> None:
    """One year older: weight, blood pressure, glucose and lipids creep up a little on average."""
    p = person.profile
    p["bmi"] += rng.gauss(0.15, 0.6)
    p["sbp"] += rng.gauss(1.0, 4.0)
    p["glu"] *= math.exp(rng.gauss(0.01, 0.04))
    p["tc"] += rng.gauss(0.04, 0.25)
    p["tg"] *= math.exp(rng.gauss(0.02, 0.15))
    p["alt"] *= math.exp(rng.gauss(0.0, 0.2))
    p["ua"] += rng.gauss(3, 25)
    if person.findings["USABD"] == "normal" and p["bmi"] > 26 and rng.random() < 0.15:
        person.findings["USABD"] = "fatty_liver"
    if person.findings["USTHY"] == "normal" and rng.random() < 0.03:
        person.findings["USTHY"] = "nodule"


def _grade(rng: random.Random, chances: tuple[float, ...]) -> str:
    grades = ("-", "±", "+", "++", "+++")
    return rng.choices(grades, (1 - sum(chances), *chances))[0]


def values_for(person: Person, codes: set[str], rng: random.Random) -> dict[str, str]:
    """The results of one visit (canonical units), for the ordered item codes."""
    p, f = person.profile, person.findings
    man = person.sex == "M"
    height = p["height"]
    bmi = max(p["bmi"] + rng.gauss(0, 0.3), 15)
    sbp = p["sbp"] + rng.gauss(0, 6)
    glu = max(p["glu"] * math.exp(rng.gauss(0, 0.05)), 3.2)
    tc = max(p["tc"] + rng.gauss(0, 0.2), 2.5)
    values: dict[str, Any] = {
        "HT": f"{height:.1f}",
        "WT": f"{bmi * (height / 100) ** 2:.1f}",
        "BMI": f"{bmi:.1f}",
        "SBP": f"{sbp:.0f}",
        "DBP": f"{sbp * 0.62 + p['dbp_offset'] + rng.gauss(0, 4):.0f}",
        "IMX": "未见明显异常",
        "SURX": "未见明显异常",
        "EYEX": "未见明显异常" if rng.random() < 0.8 else "屈光不正",
        "WBC": f"{max(p['wbc'] + rng.gauss(0, 0.6), 2.0):.2f}",
        "RBC": f"{(p['hgb'] / 31 + rng.gauss(0, 0.15)):.2f}",
        "HGB": f"{p['hgb'] + rng.gauss(0, 4):.0f}",
        "PLT": f"{max(p['plt'] + rng.gauss(0, 15), 40):.0f}",
        "ALT": f"{p['alt'] * math.exp(rng.gauss(0, 0.15)):.0f}",
        "AST": f"{p['alt'] * 0.75 + 8 + rng.gauss(0, 3):.0f}",
        "TBIL": f"{max(rng.gauss(12.5, 4), 3):.1f}",
        "CREA": f"{p['crea'] + rng.gauss(0, 5):.0f}",
        "UA": f"{p['ua'] + rng.gauss(0, 20):.0f}",
        "BUN": f"{max(rng.gauss(5.0, 1.1), 2):.2f}",
        "CK": f"{p['ck'] * math.exp(rng.gauss(0, 0.2)):.0f}",
        "TC": f"{tc:.2f}",
        "TG": f"{p['tg'] * math.exp(rng.gauss(0, 0.12)):.2f}",
        "HDL": f"{max(p['hdl'] + rng.gauss(0, 0.08), 0.5):.2f}",
        "LDL": f"{max(tc * 0.62 - 0.3 + rng.gauss(0, 0.2), 0.8):.2f}",
        "GLU": f"{glu:.2f}",
        "GLU2H": f"{max(glu * 1.25 + rng.gauss(0.3, 0.8), 3.5):.2f}",
        "HBA1C": f"{4.2 + glu * 0.22 + rng.gauss(0, 0.15):.1f}",
        "TSH": f"{p['tsh'] * math.exp(rng.gauss(0, 0.1)):.2f}",
        "AFP": f"{p['afp'] * math.exp(rng.gauss(0, 0.1)):.2f}",
        "CEA": f"{p['cea'] * math.exp(rng.gauss(0, 0.1)):.2f}",
        "CA125": f"{p['ca125'] * math.exp(rng.gauss(0, 0.1)):.2f}",
        "CA199": f"{p['ca199'] * math.exp(rng.gauss(0, 0.1)):.2f}",
        "PSA": f"{p['psa'] * math.exp(rng.gauss(0, 0.1)):.2f}",
        "UPRO": _grade(rng, (0.02, 0.025, 0.006, 0.001)),
        "UGLU": "++" if glu > 10 else ("+" if glu > 8.5 else _grade(rng, (0.01, 0.004, 0.001, 0.0))),
        "UKET": _grade(rng, (0.015, 0.006, 0.002, 0.0)),
        "UWBC": rng.choices(
            ("0-1", "1-3", "3-5", "5-10", "10-15", "15-30", "30-50"), (55, 25, 10, 5, 3, 1.5, 0.5)
        )[0]
        if man
        else rng.choices(("0-1", "1-3", "3-5", "5-10", "10-15", "15-30", "30-50"), (40, 28, 14, 9, 5, 3, 1))[
            0
        ],
        "URBC": rng.choices(("0-1", "1-3", "3-5", "5-10", "15-30"), (70, 20, 6, 3, 1))[0],
        "FOBT": "positive" if rng.random() < 0.02 else "negative",
        "ECG": f["ECG"],
        "USABD": f["USABD"],
        "USTHY": f["USTHY"],
        "USBRE": f["USBRE"],
        "USPEL": f["USPEL"],
        "USPRO": f["USPRO"],
        "CXR": f["CXR"],
        "GYNX": "未见明显异常" if rng.random() < 0.85 else "慢性宫颈炎",
        "TCT": rng.choices(
            ("NILM", "ASC-US", "LSIL", "ASC-H", "HSIL", "AGC", "SCC"), (95, 3, 1.2, 0.3, 0.3, 0.1, 0.05)
        )[0],
    }
    return {code: str(value) for code, value in values.items() if code in codes}
