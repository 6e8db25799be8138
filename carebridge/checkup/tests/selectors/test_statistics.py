"""Every statistic equals a count over the rows it drills into (issue #11): the tests compute both, and
check the figures against values worked out by hand for a small built population."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from carebridge.checkup.selectors.statistics import Period, drill, statistics, year_period
from carebridge.checkup.services.flow import queue_call, queue_join
from carebridge.checkup.services.reports import report_release
from carebridge.checkup.tests.conftest import MORNING
from carebridge.checkup.tests.factories import CustomerFactory, EmployerGroupFactory
from carebridge.checkup.tests.support.people import examined, signed

pytestmark = pytest.mark.django_db

VALUES = {"GLU": "5.0", "SBP": "120"}


@pytest.fixture
def population(site):
    """2024: A, B, C. 2025: A, B (returning), D, E (new); C is lost. Ages and sexes chosen by hand."""
    hospital = site.centre.hospital
    group = EmployerGroupFactory(department=site.centre, name="市财政局", occupation_class="civil_servant")
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


KEYS = [
    "customers",
    "visits",
    "age",
    "spend",
    "returning",
    "new",
    "lost",
    "turnaround",
    "turnaround_within",
    "sex:M",
    "sex:F",
    "occupation:civil_servant",
    "occupation:other",
    "group:none",
]


def _figure(s, key: str) -> int:
    simple = {
        "customers": s.customers,
        "visits": s.visits,
        "age": s.age.n,
        "spend": s.visits,
        "returning": s.returning,
        "new": s.new,
        "lost": s.lost,
        "turnaround": s.turnaround.n,
        "turnaround_within": s.turnaround.within,
    }
    if key in simple:
        return simple[key]
    groups = {c.key: c.n for c in (*s.by_sex, *s.by_occupation, *s.by_group)}
    return groups.get(key, 0)


@pytest.mark.parametrize("key", KEYS)
def test_every_figure_equals_the_count_of_the_rows_it_drills_into(population, site, key):
    period = year_period(2025)
    s = statistics(user=site.staff, period=period)
    assert _figure(s, key) == len(drill(user=site.staff, period=period, key=key).rows)


def test_the_figures_match_the_hand_worked_population(population, site):
    s = statistics(user=site.staff, period=year_period(2025))
    assert (s.customers, s.visits) == (4, 4)
    assert {c.key: c.n for c in s.by_sex} == {"sex:M": 2, "sex:F": 2}
    ages = [50, 40, 30, 44]  # A 1975, B 1985, D 1995, E 1980-06 on 2025-03-12
    assert s.age.n == 4 and math.isclose(s.age.mean, sum(ages) / 4)
    mean = sum(ages) / 4
    assert math.isclose(s.age.sd, math.sqrt(sum((a - mean) ** 2 for a in ages) / 3))
    assert (s.returning, s.new, s.lost) == (2, 2, 1)
    assert math.isclose(s.churn, 1 / 3)
    assert s.turnaround.n == 3 and (s.turnaround.p50, s.turnaround.within) == (
        4.0,
        2,
    )  # days 2, 9, 4; target 7
    assert math.isclose(s.turnaround.p95, 4 + (9 - 4) * 0.9)
    group_row = next(c for c in s.by_group if c.label == "市财政局")
    assert group_row.n == 2
    assert s.revenue == sum((v.price for v in population["visits"][3:]), Decimal(0))
    assert s.spend_per_person == (s.revenue / 4).quantize(Decimal("0.01"))


def test_the_group_figure_drills_into_the_groups_people(population, site):
    key = f"group:{population['group'].pk}"
    rows = drill(user=site.staff, period=year_period(2025), key=key).rows
    assert sorted(row[2] for row in rows) == ["丁", "甲"]


def test_room_waits_equal_their_rows(site):
    site.clock.move_to(MORNING)
    visit = examined(centre=site.centre, actor=site.staff, catalogue=site.catalogue, values={"GLU": "5"})
    other = CustomerFactory(hospital=site.centre.hospital)
    from carebridge.checkup.tests.support.people import checked_in

    waiting = checked_in(
        centre=site.centre, actor=site.staff, patient=other, items=[site.catalogue.items["ECG"]]
    )
    entry = queue_join(visit=waiting, room=site.catalogue.rooms["ECG"], actor=site.staff)
    site.clock.shift(dt.timedelta(minutes=12))
    queue_call(entry=entry, actor=site.staff)
    s = statistics(user=site.staff, period=Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    ecg = next(w for w in s.room_waits if w.room == "心电图室")
    rows = drill(user=site.staff, period=year_period(2025), key=ecg.key).rows
    assert ecg.n == len(rows) == 1 and rows[0][-1] == 12.0 and ecg.p95 == 12.0
    assert visit.pk


def test_an_outsider_sees_no_figure(population, clinician_zhou):
    s = statistics(user=clinician_zhou, period=year_period(2025))
    assert (
        s.customers == 0 and drill(user=clinician_zhou, period=year_period(2025), key="customers").rows == []
    )


def test_an_unknown_key_is_refused(site):
    with pytest.raises(ValueError):
        drill(user=site.staff, period=year_period(2025), key="salaries")
