"""Group reports in the demo (issue 14): the findings catalogue and reference data, and four employers of
a hundred-odd people each with very different age/sex mixes, examined three years running — so the crude
and the standardised ranks differ visibly and the report says why:

- 某互联网科技有限公司: young men, heavier and with higher blood pressure than their age would suggest —
  low crude prevalences, high standardised ones; and getting worse year on year;
- 市老年大学: older staff, mostly women, healthier than their age — the reverse;
- 某纺织有限公司 (middle-aged women) and 市公交集团第二分公司 (middle-aged men) in between.

Their people are adults of the registry (chosen by sex and age); visits are written by the centre demo's
own machinery (results, conclusions, risk levels, released reports).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import prefetch_related_objects

from carebridge.checkup.demo.install import catalogue_install
from carebridge.checkup.demo.people import drift, people, ref_age
from carebridge.checkup.demo.reportables import reportables_install
from carebridge.checkup.models import (
    ContractClass,
    EmployerGroup,
    GroupContract,
    GroupReportAdvice,
    RosterMember,
)
from carebridge.core.demo.steps import DemoContext
from carebridge.patients.models import Patient

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEARS = 3

# code, name, occupation, people, share of men, age (mean, sd), shift of the health profile per year 0
# and its extra drift per year.
EMPLOYERS: tuple[
    tuple[str, str, str, int, float, tuple[float, float], dict[str, float], dict[str, float]], ...
] = (
    (
        "G901",
        "某互联网科技有限公司",
        "enterprise",
        120,
        0.85,
        (31, 6),
        {"bmi": 1.8, "sbp": 5, "tg": 0.3},
        {"bmi": 1.0, "sbp": 10},
    ),
    ("G902", "市老年大学", "public_institution", 110, 0.35, (57, 8), {"bmi": -1.5, "sbp": -10}, {}),
    ("G903", "某纺织有限公司", "enterprise", 110, 0.2, (45, 8), {}, {}),
    ("G904", "市公交集团第二分公司", "enterprise", 110, 0.8, (47, 8), {"bmi": 0.5}, {}),
)
# Every stratum of the reference population gets someone, so each unit has a direct standardised figure.
STRATA_SEEDS = (("M", 30), ("M", 50), ("M", 64), ("F", 30), ("F", 50), ("F", 64))
CLASSES = (
    ("M-U40", "男职工（40岁以下）"),
    ("M-40", "男职工（40岁及以上）"),
    ("F-U40", "女职工（40岁以下）"),
    ("F-40", "女职工（40岁及以上）"),
)


class _Pool:
    """The adults an employer's staff are drawn from, by sex and age: :meth:`take` gives the unused one
    of the age nearest the one asked for, the lowest key first among equals (a scan of every adult per
    pick was most of this step at 100,000 patients)."""

    def __init__(self, patients: Iterable[Patient], as_of: dt.date) -> None:
        self.by_age: dict[tuple[str, int], list[Patient]] = defaultdict(list)
        for patient in sorted(patients, key=lambda p: p.pk):
            if patient.birth_date:
                self.by_age[(patient.sex, ref_age(patient.birth_date, as_of))].append(patient)
        ages = [age for _, age in self.by_age]
        self.youngest, self.oldest = (min(ages), max(ages)) if ages else (0, 0)

    def take(self, sex: str, age: int, used: set[int]) -> Patient | None:
        for distance in range(max(age - self.youngest, self.oldest - age, 0) + 1):
            nearest = [
                patient
                for at in {age - distance, age + distance}
                if (patient := self._first_unused(sex, at, used)) is not None
            ]
            if nearest:
                return min(nearest, key=lambda p: p.pk)
        return None

    def _first_unused(self, sex: str, age: int, used: set[int]) -> Patient | None:
        return next((p for p in self.by_age.get((sex, age), ()) if p.pk not in used), None)


def seed_group_reports(
    context: DemoContext,
    *,
    centre_demo: Any,
    rows: Any,
    phone: Callable[..., str],
    working_days: Callable[..., list],
) -> None:
    """Step 64 (registered by ``demo.loader``, whose visit machinery — ``CentreDemo``, ``Rows`` and two
    helpers — it passes in, so this module does not import it back)."""
    CentreDemo, Rows, _phone, _working_days = centre_demo, rows, phone, working_days
    hospital, departments, _wards, _staff = context.data["hospitals"][0]
    centre = departments["CHKP"]
    as_of = context.as_of
    first_year = as_of.year - (YEARS - 1)
    reportables_install(hospital=hospital)
    demo = CentreDemo(context, hospital, centre, catalogue_install(department=centre))
    demo.rng = rng = random.Random(context.seed + 64)  # noqa: S311 - deterministic demo data
    demo.serials = defaultdict(lambda: 5000)  # visit numbers after the centre demo's of the same day
    pool = list(
        Patient.objects.filter(
            hospital=hospital,
            merged_into__isnull=True,
            deceased_at__isnull=True,
            birth_date__lte=as_of.replace(year=as_of.year - 22),
            birth_date__gte=as_of.replace(year=as_of.year - 80),
            sex__in=("M", "F"),
        ).order_by("id")
    )
    adults = _Pool(pool, as_of)
    last_day = as_of - dt.timedelta(days=10)
    total = 0
    for code, name, occupation, size, men, (mean, sd), shift, extra in EMPLOYERS:
        group = EmployerGroup.objects.create(
            hospital=hospital,
            department=centre,
            code=code,
            name=name,
            occupation_class=occupation,
            contact_name=f"{name[:1]}老师",
            contact_phone=f"139{rng.randrange(10**8):08d}",
        )
        classes: dict[int, dict[str, ContractClass]] = {}
        for year in range(first_year, as_of.year + 1):
            contract = GroupContract.objects.create(
                group=group,
                name=f"{year}年度职工体检",
                starts_on=dt.date(year, 1, 1),
                ends_on=dt.date(year, 12, 31),
            )
            classes[year] = {
                package: ContractClass.objects.create(
                    contract=contract,
                    name=label,
                    sex=demo.catalogue.packages[package].sex,
                    package=demo.catalogue.packages[package],
                    price=(demo.catalogue.packages[package].price * Decimal("0.9")).quantize(Decimal("1")),
                )
                for package, label in CLASSES
            }
        used: set[int] = set()
        chosen: list[Patient] = []
        wanted = [
            *STRATA_SEEDS,
            *((("M" if rng.random() < men else "F"), int(rng.gauss(mean, sd))) for _ in range(size - 6)),
        ]
        for sex, age in wanted:
            patient = adults.take(sex, min(max(age, 23), 78), used)
            if patient is not None:
                used.add(patient.pk)
                chosen.append(patient)
        prefetch_related_objects(chosen, "phones")
        bases = [(p.sex, p.birth_date or as_of, _phone(p)) for p in chosen]
        persons = people(
            bases=bases, seed=context.seed + 640 + int(code[1:]), first_year=first_year, years=YEARS
        )
        for person in persons:
            person.group, person.occupation = 0, occupation
            for key, value in shift.items():
                person.profile[key] += value
        workdays = {
            year: _working_days(dt.date(year, 1, 3), min(dt.date(year, 12, 28), last_day))
            for year in range(first_year, as_of.year + 1)
        }
        days = {year: sorted(rng.sample(found, 3)) for year, found in workdays.items() if len(found) >= 3}
        now = dt.datetime(as_of.year, as_of.month, as_of.day, 9, 30, tzinfo=SHANGHAI)
        rows = Rows()
        for year in range(first_year, as_of.year + 1):
            for person, patient in zip(persons, chosen, strict=True):
                if year not in days or year < person.first_year:
                    continue
                if year > person.first_year and rng.random() > 0.9:
                    continue
                if year > first_year:
                    drift(person, rng)
                    for key, value in extra.items():
                        person.profile[key] += value
                day = rng.choice(days[year])
                contract_class = classes[year][demo.package_code(person, day)]
                demo.visit(
                    rows,
                    person=person,
                    patient=patient,
                    day=day,
                    stage="released",
                    contract_class=contract_class,
                    group=group,
                    now=now,
                )
                rows.members.append(
                    RosterMember(
                        contract_id=contract_class.contract_id, patient=patient, employee_class=contract_class
                    )
                )
        total += demo.write(rows)
        advice_demo(group, as_of.year - 1, demo.examiner, released=True)
        advice_demo(group, as_of.year, demo.examiner, released=False)
    context.log(f"checkup group reports: {len(EMPLOYERS)} employers, {total} visits over {YEARS} years")


def advice_demo(group: EmployerGroup, year: int, author: object, *, released: bool) -> None:
    written = dt.datetime(year, 12, 20, 10, 0, tzinfo=SHANGHAI) if released else None
    GroupReportAdvice.objects.create(
        group=group,
        year=year,
        version=1,
        text=(
            f"{group.name}{year}年度体检总结建议：请单位负责人关注血压、血糖、血脂和体重问题，"
            "组织工间运动和健康讲座，食堂推行少盐少油；检出异常者由体检中心电话通知复查。"
        ),
        written_by=author,  # type: ignore[misc]
        written_at=written or dt.datetime(year, 1, 5, 10, 0, tzinfo=SHANGHAI),
        released_at=written,
        released_by=author if released else None,
    )
