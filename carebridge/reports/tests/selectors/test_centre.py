"""The checkup centre's report (issue 14 item 6) on a small built population: every number worked out
by hand, the period's "previous" as the definitions print it, the centre's survey wave and its
critical results, and the scope (the leadership reads the aggregates, a ward reads nothing)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from django.contrib.auth.models import Permission

from carebridge.checkup.services.reports import report_release
from carebridge.checkup.tests.conftest import MORNING
from carebridge.checkup.tests.factories import CustomerFactory, EmployerGroupFactory
from carebridge.checkup.tests.support.people import examined, signed
from carebridge.core.tests.factories import make_persona
from carebridge.critical.choices import LadderStep, Outcome
from carebridge.critical.models import Notification
from carebridge.critical.services.attempts import attempt_record
from carebridge.reports.selectors.centre import MONTH, YEAR, centre_report, parse_period
from carebridge.surveys.choices import PopulationKind
from carebridge.surveys.models import Response, Wave
from carebridge.surveys.tests.factories import published_version

pytestmark = pytest.mark.django_db

VALUES = {"GLU": "5.0", "SBP": "120"}


def build(site):
    """2024: A, B, C. March 2025: A, B (returning), D, E (new); C is lost. The group's name would be a
    formula in a spreadsheet."""
    hospital = site.centre.hospital
    group = EmployerGroupFactory(
        department=site.centre, name="=HYPERLINK(1)局", occupation_class="civil_servant"
    )
    people = {
        "A": CustomerFactory(hospital=hospital, name="甲", sex="M", birth_date=dt.date(1975, 1, 1)),
        "B": CustomerFactory(hospital=hospital, name="乙", sex="F", birth_date=dt.date(1985, 1, 1)),
        "C": CustomerFactory(hospital=hospital, name="丙", sex="M", birth_date=dt.date(1965, 1, 1)),
        "D": CustomerFactory(hospital=hospital, name="丁", sex="M", birth_date=dt.date(1995, 1, 1)),
        "E": CustomerFactory(hospital=hospital, name="戊", sex="F", birth_date=dt.date(1980, 6, 1)),
    }
    plan = [  # (who, date, with the group?, days until release or None)
        ("A", dt.date(2024, 4, 10), True, 3),
        ("B", dt.date(2024, 4, 10), False, None),
        ("C", dt.date(2024, 5, 6), True, 5),
        ("A", dt.date(2025, 3, 12), True, 2),
        ("B", dt.date(2025, 3, 12), False, 9),
        ("D", dt.date(2025, 3, 12), True, 4),
        ("E", dt.date(2025, 3, 12), False, None),
    ]
    visits = []
    for who, day, with_group, release_after in plan:
        site.clock.move_to(MORNING.replace(year=day.year, month=day.month, day=day.day))
        visit = examined(
            centre=site.centre,
            actor=site.staff,
            catalogue=site.catalogue,
            values=VALUES,
            patient=people[who],
            **({"group": group} if with_group else {}),
        )
        if release_after is not None:
            visit = signed(visit=visit, examiner=site.examiner)
            site.clock.shift(dt.timedelta(days=release_after))
            report_release(visit=visit, actor=site.examiner, send_sms=False)
        visits.append(visit)
    return {"people": people, "group": group, "visits": visits}


@pytest.fixture
def population(site):
    return build(site)


def _survey(site, answers_and_scores):
    version = published_version(code="checkup-test")
    wave = Wave.objects.create(
        hospital=site.centre.hospital,
        name="检后满意度",
        version=version,
        population=PopulationKind.CHECKUP_CUSTOMERS,
        owner=site.staff,
    )
    for day, overall, score in answers_and_scores:
        Response.objects.create(
            hospital=site.centre.hospital,
            version=version,
            wave=wave,
            department=site.centre,
            mode="web",
            answers={"overall": overall},
            score=score,
            submitted_at=dt.datetime(2025, 3, day, 10, tzinfo=dt.UTC),
        )


def test_the_year_matches_the_hand_worked_population(population, site):
    report = centre_report(user=site.staff, period=parse_period("2025"))
    s = report.figures
    assert report.period.kind == YEAR and (s.previous.start, s.previous.end) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 12, 31),
    )
    assert (s.customers, s.visits, s.returning, s.new, s.lost) == (4, 4, 2, 2, 1)
    ages = [50, 40, 30, 44]
    mean = sum(ages) / 4
    assert math.isclose(s.age.mean, mean)
    assert math.isclose(s.age.sd, math.sqrt(sum((a - mean) ** 2 for a in ages) / 3))
    assert {c.label: c.n for c in s.by_sex} == {"男": 2, "女": 2}  # labels, in Chinese
    assert math.isclose(s.churn, 1 / 3)
    assert (s.turnaround.n, s.turnaround.p50, s.turnaround.within) == (3, 4.0, 2)  # days 2, 9, 4
    assert s.spend_per_person == (s.revenue / 4).quantize(s.spend_per_person)


def test_a_month_is_compared_with_the_calendar_month_before(population, site):
    period = parse_period("2025-03")
    assert period.kind == MONTH
    s = centre_report(user=site.staff, period=period).figures
    assert (s.previous.start, s.previous.end) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert (s.customers, s.returning, s.new, s.lost) == (4, 0, 4, 0)  # nobody came in February


def test_a_bad_period_is_refused_with_the_reason():
    from django.core.exceptions import ValidationError

    for value in ("2025-13", "25", "2025/03", "march"):
        with pytest.raises(ValidationError) as error:
            parse_period(value)
        assert "period" in error.value.message_dict


def test_satisfaction_counts_the_centres_wave_and_the_share_satisfied(population, site):
    _survey(site, [(13, 9, 90.0), (14, 6, 60.0), (15, 7, 75.0), (16, 10, None)])
    sat = centre_report(user=site.staff, period=parse_period("2025-03")).satisfaction
    assert sat.n == 4
    assert (sat.satisfied, sat.satisfied_answers) == (3, 4)  # overall ≥ 7 of 0–10, as the scorecard
    assert sat.index is not None and sat.index.n == 3 and math.isclose(sat.index.mean, 75.0)
    assert centre_report(user=site.staff, period=parse_period("2025-04")).satisfaction.n == 0


def test_critical_timeliness_counts_the_centres_notifications(site):
    site.clock.move_to(MORNING)
    visit = examined(
        centre=site.centre, actor=site.staff, catalogue=site.catalogue, values={"GLU": "25.0", "SBP": "120"}
    )
    notification = Notification.objects.get(visit=visit)
    site.clock.shift(dt.timedelta(minutes=12))
    attempt_record(
        notification=notification,
        actor=site.staff,
        step=LadderStep.PERSON,
        outcome=Outcome.READ_BACK,
        answered_by="本人",
        read_back="血糖 25.0 mmol/L，今天到内分泌科就诊",
        advice="今天到内分泌科急诊就诊",
        number="13912345678",
    )
    critical = centre_report(user=site.staff, period=parse_period("2025-03")).critical
    assert critical is not None and critical.total == 1
    row = next(c for c in critical.classes if c.severity == notification.severity)
    assert (row.count, row.read_back.n, row.read_back.p50) == (1, 1, 12.0)
    assert critical.open_now == 0
    assert centre_report(user=site.staff, period=parse_period("2025-02")).critical.total == 0


def test_the_leadership_reads_the_aggregates_and_a_ward_reads_nothing(
    population, site, executive_zhao, hospital, paediatrics
):
    ward_head = make_persona("wardhead", "dept_head", hospital, departments=[paediatrics])
    ward_head.user_permissions.add(*Permission.objects.filter(codename="view_centre_report"))
    assert centre_report(user=executive_zhao, period=parse_period("2025")).figures.customers == 4
    # A department head of a ward given the permission still sees only their own departments' rows.
    assert centre_report(user=ward_head, period=parse_period("2025")).figures.customers == 0
