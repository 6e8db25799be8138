"""Yearly statistics equal counts over their rows: every figure of the summary table and of the training
year is recomputed here by a plain loop over the rows of the lists they summarise."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from decimal import Decimal

import pytest

from carebridge.performance.choices import ActivityKind
from carebridge.performance.models import Activity, Attendance, PostAssignment, TrainingSession, TrainingYear
from carebridge.performance.selectors.activities import activity_list, monthly_counts, yearly_summary
from carebridge.performance.selectors.training import attendance_list, mandatory_due, training_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(hospital):
    rng = random.Random(16)  # noqa: S311 - test data
    rows = []
    for number in range(60):
        rows.append(
            Activity(
                hospital=hospital,
                kind=rng.choice(ActivityKind.values),
                title=f"活动{number}",
                held_on=dt.date(rng.choice([2024, 2025, 2025]), rng.randint(1, 12), rng.randint(1, 28)),
                attendees=rng.randint(0, 300),
                participants=rng.randint(0, 20),
                hours=Decimal(rng.randint(1, 16)) / 2,
                boards=rng.randint(0, 3),
                banners=rng.randint(0, 2),
                leaflets=rng.randint(0, 500),
                prescriptions=rng.randint(0, 100),
                cost=Decimal(rng.randint(0, 50000)) / 100,
            )
        )
    return Activity.objects.bulk_create(rows)


def test_the_yearly_summary_equals_counts_over_its_rows(activities, quality_officer_qian):
    table, total = yearly_summary(user=quality_officer_qian, year=2025)
    rows = list(activity_list(user=quality_officer_qian, filters={"year": 2025}))
    assert rows and all(a.held_on.year == 2025 for a in rows)
    for line in table:
        mine = [a for a in rows if a.kind == line.kind]
        assert line.count == len(mine)
        assert line.attendees == sum(a.attendees for a in mine)
        assert line.hours == sum((a.hours for a in mine), Decimal(0))
        assert line.boards == sum(a.boards for a in mine)
        assert line.leaflets == sum(a.leaflets for a in mine)
        assert line.cost == sum((a.cost for a in mine), Decimal(0))
    assert [line.kind for line in table] == ActivityKind.values
    assert total.count == len(rows) == sum(line.count for line in table)
    assert total.attendees == sum(a.attendees for a in rows)
    assert total.hours == sum((a.hours for a in rows), Decimal(0))
    by_month = Counter((a.held_on.month, a.kind) for a in rows)
    for month, counts in monthly_counts(user=quality_officer_qian, year=2025):
        for kind, n in counts.items():
            assert n == by_month[(month, kind)]


def test_a_user_without_the_permission_gets_an_empty_table(activities, clinician_zhou):
    _table, total = yearly_summary(user=clinician_zhou, year=2025)
    assert total.count == 0


def test_the_training_year_equals_counts_over_its_rows(desk, hospital, inspector_qian):
    rng = random.Random(7)  # noqa: S311 - test data
    TrainingYear.objects.create(
        hospital=hospital, year=2025, hours_target=12, personnel_spend=Decimal("2000000")
    )
    for person in desk.people[:4]:
        PostAssignment.objects.create(staff=person, post=desk.posts.guide, starts_on=dt.date(2024, 6, 1))
    sessions = [
        TrainingSession.objects.create(
            hospital=hospital,
            course=desk.course,
            held_on=dt.date(year, month, 10),
            trainer="t",
            cost=Decimal(1500),
        )
        for year, month in ((2024, 11), (2025, 2), (2025, 5), (2025, 9))
    ]
    for session in sessions:
        for person in desk.people:
            if rng.random() < 0.7:
                score = Decimal(rng.randint(40, 100))
                Attendance.objects.create(
                    session=session, staff=person, hours=Decimal(4), score=score, passed=score >= 60
                )
    figures = training_year(user=inspector_qian, year=2025)
    rows = list(attendance_list(user=inspector_qian, filters={"year": 2025}))
    assert figures.sessions == 3
    assert figures.attendances == len(rows)
    assert figures.hours == sum((a.hours for a in rows), Decimal(0))
    assert figures.passed == sum(1 for a in rows if a.passed)
    assert figures.pass_rate == sum(1 for a in rows if a.passed) / len(rows)
    assert figures.spend == Decimal(4500)
    assert figures.budget == Decimal("100000.00")  # 5% of 2,000,000
    hours: dict[str, Decimal] = defaultdict(Decimal)
    for a in rows:
        hours[a.staff.name] += a.hours
    # The population: the four at a post, plus the fifth if she attended in 2025.
    expected = {p.name for p in desk.people[:4]} | {a.staff.name for a in rows}
    assert {p.staff.name: p.hours for p in figures.persons} == {name: hours[name] for name in expected}
    assert all(p.met == (p.hours >= 12) for p in figures.persons)


def test_mandatory_training_is_due_for_a_person_at_the_post_who_never_passed(desk, hospital, inspector_qian):
    zhang, li = desk.people[:2]
    for person in (zhang, li):
        PostAssignment.objects.create(staff=person, post=desk.posts.guide, starts_on=dt.date(2024, 1, 1))
    session = TrainingSession.objects.create(
        hospital=hospital, course=desk.course, held_on=dt.date(2024, 12, 1), trainer="t"
    )
    Attendance.objects.create(session=session, staff=zhang, hours=4, score=80, passed=True)
    Attendance.objects.create(session=session, staff=li, hours=4, score=50, passed=False)
    due = mandatory_due(user=inspector_qian, today=dt.date(2025, 3, 1))
    assert [(d.staff.name, d.last, d.due) for d in due] == [("李娜", None, dt.date(2024, 1, 1))]
    # A year after her pass, Zhang is due again (reminded 30 days ahead).
    due = mandatory_due(user=inspector_qian, today=dt.date(2025, 11, 5))
    assert [(d.staff.name, d.due) for d in due] == [
        ("李娜", dt.date(2024, 1, 1)),
        ("张敏", dt.date(2025, 12, 1)),
    ]


def test_a_due_mandatory_course_is_reminded_once_by_sms(desk, hospital):
    from carebridge.core.models import OutboxMessage
    from carebridge.performance.tasks import training_remind

    li = desk.people[1]
    li.phone = "13800000009"
    li.save(update_fields=["phone"])
    PostAssignment.objects.create(staff=li, post=desk.posts.guide, starts_on=dt.date(2024, 1, 1))
    assert training_remind() == 1
    assert training_remind() == 0
    (message,) = OutboxMessage.objects.filter(kind="performance.training.reminder")
    assert message.to == "13800000009" and "礼仪与规范用语" in message.text
