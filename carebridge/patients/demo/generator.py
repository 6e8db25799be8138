"""A deterministic generator of demo patients (示范数据): the same seed and date give the same records.

Pure Python, no database: it yields plain records that ``loader`` writes in bulk. Patients have
realistic Chinese names, ages, sexes, home regions (mostly 南京) and valid national IDs; their
encounters over the 18 months before ``as_of`` go to departments that fit their age and sex, with
ICD-10 diagnoses that fit the department. About 0.5% of people are registered twice with a typo in the
name, so the duplicate finder has work to do.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from carebridge.core.validators import national_id_check_digit
from carebridge.patients.demo import catalog

SHANGHAI = ZoneInfo("Asia/Shanghai")
HISTORY_DAYS = 548  # 18 months
TAGS = (("慢病", 8), ("老年", 6), ("VIP", 1), ("医保", 20), ("外地", 4), ("残障", 1))
# The busiest inpatient departments of a tertiary hospital. Their recent stays are generated at full
# volume (``recent_inpatients``): the 18-month history is a thin sample so that the demo loads in about a
# minute, but the last weeks must hold enough stays for the month's report to rank departments.
BUSY_DEPARTMENTS: tuple[str, ...] = ("CARD", "ORTH", "GSUR", "ONCO", "NEUR")
RECENT_DAYS = 70
ADULT_DEPARTMENTS = tuple(
    code for code in catalog.DIAGNOSES if code not in {"PEDI", "NEON", "OBST", "GYNE", "CHKP", "EMER"}
)


@dataclass
class EncounterRecord:
    kind: str
    department: str
    ward_index: int | None
    doctor_index: int | None
    nurse_index: int | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    surgery_grade: int | None
    critical: bool
    diagnoses: list[tuple[str, str, bool]]


@dataclass
class PatientRecord:
    mrn: str
    name: str
    sex: str
    birth_date: dt.date
    national_id: str
    region: str
    address: str
    phones: list[tuple[str, str, str]]  # (number, kind, label)
    tags: list[str]
    contact_consent: bool
    survey_consent: bool
    encounters: list[EncounterRecord] = field(default_factory=list)


class PatientGenerator:
    def __init__(self, *, seed: int, as_of: dt.date, staff_per_department: int = 6) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.staff_per_department = staff_per_department
        self._surnames = [s for s, _ in catalog.SURNAMES]
        self._surname_weights = [w for _, w in catalog.SURNAMES]
        self._regions = [r for r, _ in catalog.HOME_REGIONS]
        self._region_weights = [w for _, w in catalog.HOME_REGIONS]
        self._id_sequence = 0

    # --- people -------------------------------------------------------------------------------

    def name(self, sex: str) -> str:
        pool = catalog.GIVEN_NAME_CHARS_MALE if sex == "M" else catalog.GIVEN_NAME_CHARS_FEMALE
        chars = pool + catalog.GIVEN_NAME_CHARS_NEUTRAL
        given = "".join(self.rng.choice(chars) for _ in range(1 if self.rng.random() < 0.3 else 2))
        return self.rng.choices(self._surnames, self._surname_weights)[0] + given

    def _age(self) -> int:
        band = self.rng.random()
        if band < 0.12:
            return self.rng.randint(0, 14)
        if band < 0.45:
            return self.rng.randint(15, 44)
        if band < 0.75:
            return self.rng.randint(45, 64)
        return self.rng.randint(65, 95)

    def mobile(self) -> str:
        prefix = self.rng.choice(
            (
                "138",
                "139",
                "137",
                "136",
                "135",
                "150",
                "151",
                "152",
                "158",
                "159",
                "186",
                "187",
                "188",
                "189",
                "177",
                "133",
                "153",
                "180",
                "181",
                "199",
            )
        )
        return prefix + f"{self.rng.randrange(10**8):08d}"

    def national_id(self, region: str, birth: dt.date, sex: str) -> str:
        self._id_sequence += 1
        sequence = self._id_sequence % 500 * 2 + (1 if sex == "M" else 0)
        first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
        return first17 + national_id_check_digit(first17)

    def patients(self, count: int, *, mrn_start: int = 1) -> Iterator[PatientRecord]:
        mrn = mrn_start
        for _ in range(count):
            record = self._patient(mrn)
            mrn += 1
            yield record
            if self.rng.random() < 0.005:
                yield self._duplicate_of(record, mrn)
                mrn += 1

    def recent_inpatients(self, count: int, *, mrn_start: int) -> Iterator[PatientRecord]:
        """``count`` adults, each with one stay in a :data:`BUSY_DEPARTMENTS` ward admitted in the last
        :data:`RECENT_DAYS` days (the latest still in hospital)."""
        for offset in range(count):
            department = BUSY_DEPARTMENTS[offset % len(BUSY_DEPARTMENTS)]
            record = self._patient(mrn_start + offset, age=self.rng.randint(30, 88), encounters=False)
            record.encounters = [self._stay(department, self._when(days=RECENT_DAYS))]
            yield record

    def _patient(self, mrn: int, *, age: int | None = None, encounters: bool = True) -> PatientRecord:
        rng = self.rng
        sex = "M" if rng.random() < 0.48 else "F"
        age = self._age() if age is None else age
        birth = self.as_of - dt.timedelta(days=age * 365 + rng.randrange(365))
        region = rng.choices(self._regions, self._region_weights)[0]
        phones = [(self.mobile(), "mobile", "")]
        if age < 14 or age > 75 or rng.random() < 0.25:
            phones.append((self.mobile(), "family", rng.choice(("父亲", "母亲", "儿子", "女儿", "配偶"))))
        tags = sorted({t for t, w in TAGS if rng.random() < w / 100 or (t == "老年" and age >= 75)})
        record = PatientRecord(
            mrn=f"{mrn:08d}",
            name=self.name(sex),
            sex=sex,
            birth_date=birth,
            national_id="" if rng.random() < 0.03 else self.national_id(region, birth, sex),
            region=region,
            address=(
                f"{rng.choice(catalog.STREETS)}{rng.randint(1, 300)}号"
                f"{rng.randint(1, 30)}栋{rng.randint(101, 2802)}室"
            ),
            phones=phones,
            tags=tags,
            contact_consent=rng.random() < 0.88,
            survey_consent=rng.random() < 0.72,
        )
        if encounters:
            record.encounters = self._encounters(record, age)
        return record

    def _duplicate_of(self, record: PatientRecord, mrn: int) -> PatientRecord:
        """The same person registered again: a homophone typo in the given name, no ID, one shared phone."""
        given = record.name[1:]
        typo = record.name[0] + (
            given[:-1] + self.rng.choice(catalog.GIVEN_NAME_CHARS_NEUTRAL) if given else ""
        )
        twin = PatientRecord(
            mrn=f"{mrn:08d}",
            name=typo,
            sex=record.sex,
            birth_date=record.birth_date,
            national_id="",
            region=record.region,
            address=record.address,
            phones=[record.phones[0]],
            tags=[],
            contact_consent=record.contact_consent,
            survey_consent=False,
        )
        twin.encounters = self._encounters(twin, (self.as_of - record.birth_date).days // 365, at_most=1)
        return twin

    # --- encounters ---------------------------------------------------------------------------

    def _department_for(self, age: int, sex: str) -> str:
        rng = self.rng
        if age < 1 and rng.random() < 0.5:
            return "NEON"
        if age < 14:
            return "PEDI" if rng.random() < 0.8 else rng.choice(("ENT", "OPHT", "STOM", "DERM", "ORTH"))
        if sex == "F" and 20 <= age <= 40 and rng.random() < 0.25:
            return "OBST"
        if sex == "F" and rng.random() < 0.08:
            return "GYNE"
        if rng.random() < 0.06:
            return "EMER"
        return rng.choice(ADULT_DEPARTMENTS)

    def _when(self, days: int = HISTORY_DAYS) -> dt.datetime:
        day = self.as_of - dt.timedelta(days=self.rng.randrange(1, days))
        return dt.datetime(
            day.year,
            day.month,
            day.day,
            self.rng.randint(7, 17),
            self.rng.choice((0, 15, 30, 45)),
            tzinfo=SHANGHAI,
        )

    def _diagnoses(self, department: str) -> list[tuple[str, str, bool]]:
        options = catalog.DIAGNOSES[department]
        first = self.rng.choices(options, [d.weight for d in options])[0]
        chosen = [(first.code, first.name, True)]
        if self.rng.random() < 0.3:
            second = self.rng.choice(options)
            if second.code != first.code:
                chosen.append((second.code, second.name, False))
        return chosen

    def _stay(self, department: str, started: dt.datetime, *, doctor: int | None = None) -> EncounterRecord:
        """An inpatient stay in ``department`` admitted at ``started`` (open if it ends after as-of)."""
        rng = self.rng
        wards = {spec.code: spec.wards for spec in catalog.DEPARTMENTS}
        if doctor is None:
            doctor = rng.randrange(self.staff_per_department)
        stay = rng.choices((2, 3, 4, 5, 7, 9, 12, 16, 25), (10, 14, 16, 16, 14, 10, 8, 7, 5))[0]
        ended: dt.datetime | None = started + dt.timedelta(days=stay, hours=rng.randint(-4, 4))
        if ended is not None and ended.date() > self.as_of:
            ended = None  # still in hospital
        grade = (
            rng.choice((1, 2, 2, 3, 3, 4))
            if department in catalog.SURGICAL_DEPARTMENTS and rng.random() < 0.6
            else None
        )
        return EncounterRecord(
            "inpatient",
            department,
            rng.randrange(wards[department]),
            doctor,
            rng.randrange(self.staff_per_department),
            started,
            ended,
            grade,
            rng.random() < 0.04,
            self._diagnoses(department),
        )

    def _encounters(self, record: PatientRecord, age: int, at_most: int = 5) -> list[EncounterRecord]:
        rng = self.rng
        wards = {spec.code: spec.wards for spec in catalog.DEPARTMENTS}
        encounters = []
        for _ in range(min(at_most, rng.choices((1, 2, 3, 4, 5), (35, 30, 18, 10, 7))[0])):
            if age >= 18 and rng.random() < 0.06:
                started = self._when()
                encounters.append(
                    EncounterRecord(
                        "checkup",
                        "CHKP",
                        None,
                        None,
                        None,
                        started,
                        started + dt.timedelta(hours=3),
                        None,
                        False,
                        self._diagnoses("CHKP"),
                    )
                )
                continue
            department = self._department_for(age, record.sex)
            started = self._when()
            doctor = rng.randrange(self.staff_per_department)
            if department != "EMER" and wards.get(department, 0) and rng.random() < 0.22:
                encounters.append(self._stay(department, started, doctor=doctor))
            else:
                kind = "emergency" if department == "EMER" else "outpatient"
                encounters.append(
                    EncounterRecord(
                        kind,
                        department,
                        None,
                        doctor,
                        None,
                        started,
                        started + dt.timedelta(minutes=rng.randint(10, 90)),
                        None,
                        False,
                        self._diagnoses(department),
                    )
                )
        return encounters
