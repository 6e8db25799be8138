"""The group report's numbers (团检报告, 篇7 2.2.2; issue 14): for an employer and a year, who was examined
(by sex and age band, coverage of the roster), what was examined, each reportable finding's prevalence
with its 95% interval, the five risk levels, and the comparison with the reference population — direct
age/sex-standardised prevalence (Fay–Feuer interval) and observed/expected (exact Poisson interval),
the unit's rank among the units examined that year by the standardised figure (units under
``MIN_RANK_SIZE`` people, or with an empty stratum, are not ranked) beside its crude rank — and the
change from the year before (McNemar for the people examined both years, the two-proportion test for
the group, Holm-corrected over the report's tests as the insights app does).

A person counts once per unit and year (their first signed visit); only signed or released visits
count, so every figure rests on concluded results. The sentences and the employer's version (small
cells suppressed) are built by ``selectors.groupreport_text`` from these numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from carebridge.checkup.choices import RiskLevel, VisitStatus
from carebridge.checkup.domain.groupreport import (
    ResultFact,
    Stratum,
    finding_status,
    rate_for,
    stratum_index,
)
from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.models import (
    EmployerGroup,
    GroupReportAdvice,
    ReferencePopulation,
    ReferencePrevalence,
    ReportableFinding,
    Result,
    RosterMember,
    Visit,
    VisitFinding,
)
from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.patients.choices import Sex

if TYPE_CHECKING:
    # The statistics stack (numpy, scipy, pandas) is imported where a report is computed, not when the URL
    # configuration imports the pages (core/tests/domain/test_startup_imports.py).
    from carebridge.lib.stats.standardise import DirectRate, RateRatio, TestResult

MIN_RANK_SIZE = 30
ALPHA = 0.05
P_ADJUST = "holm"  # as the insights app's report (insights/domain/report/compute.py)
REPORTED = (VisitStatus.SIGNED, VisitStatus.RELEASED)
# Age bands of the "who was examined" table (the standardisation uses the reference population's own).
DISPLAY_BANDS: tuple[tuple[int, int | None], ...] = ((0, 29), (30, 39), (40, 49), (50, 59), (60, None))


def band_label(low: int, high: int | None) -> str:
    if high is None:
        return f"≥{low}"
    return f"<{high + 1}" if low == 0 else f"{low}–{high}"


@dataclass
class Person:
    visit_id: int
    patient_id: int
    group_id: int
    sex: str
    age: int | None
    risk_level: int | None
    results: dict[str, ResultFact] = field(default_factory=dict)
    advice: set[str] = field(default_factory=set)


@dataclass
class Reference:
    population: ReferencePopulation | None
    strata: list[Stratum]
    prevalence: ReferencePrevalence | None
    rates: dict[int, list[tuple[str, int, int | None, Any]]]

    @property
    def illustrative(self) -> bool:
        return bool(
            (self.population and self.population.is_illustrative)
            or (self.prevalence and self.prevalence.is_illustrative)
        )


@dataclass
class StratumRow:
    key: str
    sex: str
    label: str
    n: int
    cases: int
    reference_rate: float | None
    weight: float


@dataclass
class FindingRow:
    finding: ReportableFinding
    n: int
    cases: int
    prevalence: float | None
    lower: float | None
    upper: float | None
    strata: list[StratumRow]
    outside: int  # assessed people outside every stratum (too young for the reference population)
    direct: DirectRate | None
    empty_strata: list[str]
    oe: RateRatio | None
    expected: float | None
    reference_standardised: float | None  # the reference's own prevalence on the same standard
    mix_rate: float | None = None  # prevalence the unit's age/sex mix would show at the reference rates
    rank: int | None = None
    crude_rank: int | None = None
    # The crude and standardised prevalence of the units it changes places with between the two ranks.
    partner_crude: float | None = None
    partner_direct: float | None = None
    ranked_units: int = 0
    previous: tuple[int, int] | None = None  # (n, cases) the year before
    group_test: TestResult | None = None
    group_p: float | None = None
    paired: tuple[int, int, int] | None = None  # (both years, only before, only now)
    paired_test: TestResult | None = None
    paired_p: float | None = None
    suppressed: bool = False

    @property
    def code(self) -> str:
        return self.finding.code

    @property
    def previous_prevalence(self) -> float | None:
        return self.previous[1] / self.previous[0] if self.previous and self.previous[0] else None


@dataclass
class GroupReport:
    group: EmployerGroup
    year: int
    audience: str
    participants: int
    roster: int
    roster_examined: int
    by_sex: list[tuple[str, str, int | None]]
    by_band: list[tuple[str, int | None]]
    sex_band: list[tuple[str, list[int]]]  # staff only: rows by sex, columns DISPLAY_BANDS
    mean_age: float | None
    items: list[tuple[str, int | None]]
    risk_levels: list[tuple[int, str, int | None]]
    findings: list[FindingRow]
    reference: Reference
    advice: GroupReportAdvice | None
    previous_year: int | None
    summary: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    min_rank_size: int = MIN_RANK_SIZE

    @property
    def coverage(self) -> float | None:
        return self.roster_examined / self.roster if self.roster else None

    @property
    def top_findings(self) -> list[FindingRow]:
        shown = [f for f in self.findings if f.prevalence is not None and not f.suppressed and f.cases]
        return sorted(shown, key=lambda f: (-(f.prevalence or 0), f.finding.sequence))[:5]


# --- loading ---------------------------------------------------------------------------------------


def reference_of(hospital_id: int) -> Reference:
    population = (
        ReferencePopulation.objects.filter(hospital_id=hospital_id, is_default=True)
        .order_by("-year", "id")
        .first()
    )
    prevalence = (
        ReferencePrevalence.objects.filter(hospital_id=hospital_id, is_default=True)
        .order_by("-year", "id")
        .first()
    )
    strata = (
        [
            Stratum(s.sex, s.age_min, s.age_max, s.size)
            for s in population.strata.order_by("sex", "age_min", "id")
        ]
        if population
        else []
    )
    rates: dict[int, list[tuple[str, int, int | None, Any]]] = defaultdict(list)
    if prevalence is not None:
        for row in prevalence.rates.order_by("finding_id", "sex", "age_min", "id"):
            rates[row.finding_id].append((row.sex, row.age_min, row.age_max, row.rate))
    return Reference(population, strata, prevalence, dict(rates))


def people_of_year(*, user: Actor, hospital_id: int, year: int) -> list[Person]:
    """Everyone examined in a unit in ``year`` (first signed visit per person and unit), with results."""
    visits = (
        restrict(Visit.objects.all(), user)
        .filter(
            hospital_id=hospital_id,
            group__isnull=False,
            status__in=REPORTED,
            scheduled_for__gte=dt.date(year, 1, 1),
            scheduled_for__lte=dt.date(year, 12, 31),
        )
        .order_by("scheduled_for", "id")
    )
    found: dict[tuple[int, int], Person] = {}
    for row in visits.values(
        "id", "patient_id", "group_id", "patient__sex", "patient__birth_date", "scheduled_for", "risk_level"
    ):
        key = (row["group_id"], row["patient_id"])
        if key not in found:
            found[key] = Person(
                visit_id=row["id"],
                patient_id=row["patient_id"],
                group_id=row["group_id"],
                sex=row["patient__sex"],
                age=age_on(row["patient__birth_date"], row["scheduled_for"]),
                risk_level=row["risk_level"],
            )
    by_visit = {person.visit_id: person for person in found.values()}
    chosen = visits.filter(id__in=list(by_visit))
    results = Result.objects.filter(visit__in=chosen).order_by("visit_id", "id")
    for visit_id, code, value, text, flag in results.values_list(
        "visit_id", "item__code", "value_numeric", "value_text", "flag"
    ):
        by_visit[visit_id].results[code] = ResultFact(value, text, flag)
    lines = VisitFinding.objects.filter(visit__in=chosen, rule__isnull=False).order_by("visit_id", "id")
    for visit_id, code in lines.values_list("visit_id", "rule__code"):
        by_visit[visit_id].advice.add(code)
    return list(found.values())


def catalogue_of(hospital_id: int) -> list[ReportableFinding]:
    return list(
        ReportableFinding.objects.filter(hospital_id=hospital_id, is_active=True).order_by("sequence", "code")
    )


# --- one unit's figures ------------------------------------------------------------------------------


def _stratum_label(stratum: Stratum) -> str:
    return band_label(stratum.age_min, stratum.age_max)


def finding_row(finding: ReportableFinding, people: list[Person], reference: Reference) -> FindingRow:
    from carebridge.lib.stats.descriptive import wilson_interval
    from carebridge.lib.stats.standardise import direct_standardise, observed_expected

    strata = reference.strata
    n_by: list[int] = [0] * len(strata)
    cases_by: list[int] = [0] * len(strata)
    n = cases = outside = 0
    for person in people:
        status = finding_status(
            finding.criteria,
            finding.advice_codes,
            sex=person.sex,
            results=person.results,
            advice=person.advice,
        )
        if status is None:
            continue
        n += 1
        cases += int(status)
        index = stratum_index(strata, person.sex, person.age)
        if index is None:
            outside += 1
            continue
        n_by[index] += 1
        cases_by[index] += int(status)
    total_size = sum(s.size for s in strata) or 1
    ref_rates = [rate_for(reference.rates.get(finding.pk, []), s) for s in strata]
    rows = [
        StratumRow(s.key, s.sex, _stratum_label(s), n_by[i], cases_by[i], ref_rates[i], s.size / total_size)
        for i, s in enumerate(strata)
    ]
    interval = wilson_interval(cases, n) if n else None
    placed: int = n - outside
    direct, empty = None, [f"{r.sex} {r.label}" for r in rows if r.n == 0]
    if strata and not empty:
        direct = direct_standardise(cases_by, n_by, [s.size for s in strata])
    oe = expected = standardised_ref = None
    if strata and all(rate is not None for rate in ref_rates):
        expected = sum(n_by[i] * (ref_rates[i] or 0) for i in range(len(strata)))
        standardised_ref = sum(r.weight * (r.reference_rate or 0) for r in rows)
        if expected > 0:
            oe = observed_expected(sum(cases_by), expected)
    return FindingRow(
        finding=finding,
        n=n,
        cases=cases,
        prevalence=interval.estimate if interval else None,
        lower=interval.lower if interval else None,
        upper=interval.upper if interval else None,
        strata=rows,
        outside=outside,
        direct=direct,
        empty_strata=empty,
        oe=oe,
        expected=expected,
        reference_standardised=standardised_ref,
        mix_rate=expected / placed if expected is not None and placed else None,
    )


def unit_rows(
    catalogue: list[ReportableFinding], people: list[Person], reference: Reference
) -> list[FindingRow]:
    return [finding_row(finding, people, reference) for finding in catalogue]


def rank_units(rows_by_unit: dict[int, list[FindingRow]], names: dict[int, str]) -> None:
    """Set each row's rank (1 = lowest standardised prevalence) and crude rank among the eligible units:
    at least ``MIN_RANK_SIZE`` people assessed and a direct standardised figure."""
    by_code: dict[str, list[tuple[int, FindingRow]]] = defaultdict(list)
    for unit, rows in rows_by_unit.items():
        for row in rows:
            if row.n >= MIN_RANK_SIZE and row.direct is not None and row.prevalence is not None:
                by_code[row.code].append((unit, row))
    for eligible in by_code.values():
        standardised = sorted(eligible, key=lambda e: (e[1].direct.adjusted, names.get(e[0], "")))  # type: ignore[union-attr]
        crude = sorted(eligible, key=lambda e: (e[1].prevalence, names.get(e[0], "")))
        for position, (_unit, row) in enumerate(standardised, start=1):
            row.rank, row.ranked_units = position, len(eligible)
        for position, (_unit, row) in enumerate(crude, start=1):
            row.crude_rank = position
        for _unit, row in eligible:
            partners = [
                other
                for _o, other in eligible
                if other is not row
                and ((other.rank or 0) < (row.rank or 0)) != ((other.crude_rank or 0) < (row.crude_rank or 0))
            ]
            if partners:
                row.partner_crude = sum(o.prevalence or 0 for o in partners) / len(partners)
                row.partner_direct = sum(o.direct.adjusted for o in partners if o.direct) / len(partners)


def _compare_years(rows: list[FindingRow], now: list[Person], before: list[Person]) -> None:
    """Each finding's change: the group (two proportions) and the people examined both years (McNemar);
    p-values Holm-corrected over all the report's tests."""
    from carebridge.lib.stats.compare import p_adjust
    from carebridge.lib.stats.standardise import mcnemar, two_proportions

    before_by_patient = {p.patient_id: p for p in before}
    tests: list[tuple[FindingRow, str, float]] = []
    for row in rows:
        finding = row.finding
        statuses_before = {
            p.patient_id: finding_status(
                finding.criteria, finding.advice_codes, sex=p.sex, results=p.results, advice=p.advice
            )
            for p in before
        }
        assessed_before = [s for s in statuses_before.values() if s is not None]
        row.previous = (len(assessed_before), sum(1 for s in assessed_before if s))
        if row.n and assessed_before:
            row.group_test = two_proportions(row.previous[1], row.previous[0], row.cases, row.n)
            if row.group_test.p is not None:
                tests.append((row, "group", row.group_test.p))
        both = only_before = only_now = 0
        for person in now:
            if person.patient_id not in before_by_patient:
                continue
            then = statuses_before.get(person.patient_id)
            current = finding_status(
                finding.criteria,
                finding.advice_codes,
                sex=person.sex,
                results=person.results,
                advice=person.advice,
            )
            if then is None or current is None:
                continue
            both += 1
            only_before += int(then and not current)
            only_now += int(current and not then)
        if both:
            row.paired = (both, only_before, only_now)
            row.paired_test = mcnemar(only_before, only_now)
            if row.paired_test.p is not None:
                tests.append((row, "paired", row.paired_test.p))
    adjusted: list[float] = list(p_adjust([p for _, _, p in tests], P_ADJUST)) if tests else []
    for (row, kind, _p), p_adj in zip(tests, adjusted, strict=True):
        setattr(row, f"{kind}_p", float(p_adj))


# --- the report -------------------------------------------------------------------------------------


def _roster(group: EmployerGroup, year: int, examined: set[int]) -> tuple[int, int]:
    members = set(
        RosterMember.objects.filter(
            contract__group=group,
            contract__starts_on__lte=dt.date(year, 12, 31),
            contract__ends_on__gte=dt.date(year, 1, 1),
        ).values_list("patient_id", flat=True)
    )
    return len(members), len(members & examined)


def _band(age: int | None) -> int | None:
    if age is None:
        return None
    for index, (low, high) in enumerate(DISPLAY_BANDS):
        if age >= low and (high is None or age <= high):
            return index
    return None


def group_report(*, user: Actor, group: EmployerGroup, year: int) -> GroupReport:
    """The staff version of a unit's report for ``year`` (``groupreport_text`` adds the sentences and
    makes the employer's version)."""
    reference = reference_of(group.hospital_id)
    catalogue = catalogue_of(group.hospital_id)
    everyone = people_of_year(user=user, hospital_id=group.hospital_id, year=year)
    by_unit: dict[int, list[Person]] = defaultdict(list)
    for person in everyone:
        by_unit[person.group_id].append(person)
    rows_by_unit = {unit: unit_rows(catalogue, people, reference) for unit, people in by_unit.items()}
    names = dict(EmployerGroup.objects.filter(pk__in=list(by_unit)).values_list("pk", "name"))
    rank_units(rows_by_unit, names)
    people = by_unit.get(group.pk, [])
    rows = rows_by_unit.get(group.pk) or unit_rows(catalogue, [], reference)
    before = [
        p
        for p in people_of_year(user=user, hospital_id=group.hospital_id, year=year - 1)
        if p.group_id == group.pk
    ]
    if before and people:
        _compare_years(rows, people, before)
    sexes = Counter(p.sex for p in people)
    bands = Counter(_band(p.age) for p in people)
    cross = Counter((p.sex, _band(p.age)) for p in people)
    items = Counter(code for p in people for code in p.results)
    item_names = dict(group.hospital.checkup_items.filter(code__in=list(items)).values_list("code", "name"))
    levels = Counter(p.risk_level for p in people)
    ages = [p.age for p in people if p.age is not None]
    roster, roster_examined = _roster(group, year, {p.patient_id for p in people})
    sex_labels = {value: str(label) for value, label in Sex.choices}
    return GroupReport(
        group=group,
        year=year,
        audience="staff",
        participants=len(people),
        roster=roster,
        roster_examined=roster_examined,
        by_sex=[(sex, sex_labels[sex], sexes.get(sex, 0)) for sex in ("M", "F")],
        by_band=[(band_label(low, high), bands.get(i, 0)) for i, (low, high) in enumerate(DISPLAY_BANDS)],
        sex_band=[(sex, [cross.get((sex, i), 0) for i in range(len(DISPLAY_BANDS))]) for sex in ("M", "F")],
        mean_age=sum(ages) / len(ages) if ages else None,
        items=sorted(
            ((item_names.get(code, code), n) for code, n in items.items()),
            key=lambda kv: (-(kv[1] or 0), kv[0]),
        ),
        risk_levels=[(level, str(label), levels.get(level, 0)) for level, label in RiskLevel.choices],
        findings=rows,
        reference=reference,
        advice=GroupReportAdvice.objects.filter(group=group, year=year).order_by("-version").first(),
        previous_year=year - 1 if before else None,
    )


def years_of(*, user: Actor, group: EmployerGroup) -> list[int]:
    """The years in which the unit has reportable visits, newest first."""
    dates = (
        restrict(Visit.objects.all(), user)
        .filter(group=group, status__in=REPORTED)
        .dates("scheduled_for", "year", order="DESC")
    )
    return [d.year for d in dates]


def report_group(*, user: Actor, pk: int) -> EmployerGroup | None:
    """A unit whose report the user may read (the centre's statistics permission, in scope)."""
    return (
        restrict(EmployerGroup.objects.all(), user, permission="checkup.view_checkup_statistics")
        .select_related("hospital", "department")
        .filter(pk=pk)
        .first()
    )


def report_groups(*, user: Actor) -> list[tuple[EmployerGroup, list[int]]]:
    """Units with reportable visits and their years (newest first), by name."""
    years: dict[int, set[int]] = defaultdict(set)
    rows = (
        restrict(Visit.objects.all(), user)
        .filter(group__isnull=False, status__in=REPORTED)
        .values_list("group_id", "scheduled_for__year")
        .distinct()
        .order_by("group_id", "scheduled_for__year")
    )
    for group_id, year in rows:
        years[group_id].add(year)
    groups = restrict(EmployerGroup.objects.all(), user, permission="checkup.view_checkup_statistics").filter(
        pk__in=list(years)
    )
    return [(group, sorted(years[group.pk], reverse=True)) for group in groups.order_by("name", "id")]
