"""The standards KPIs in the scorecard: a finding not rectified by its deadline shows in its department's
scorecard for the month of its deadline; training hours, pass rate and activities equal counts over the
rows they drill into."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carebridge.performance.choices import ActivityKind, RoundKind
from carebridge.performance.domain.periods import parse_span
from carebridge.performance.models import Activity, Attendance, KpiAssignment, TrainingSession
from carebridge.performance.selectors.kpis.registry import PART_NUMERATOR, KpiScope, computed_kpi
from carebridge.performance.selectors.scores import computed_month_figure, kpi_rows
from carebridge.performance.services.inspections import (
    finding_record,
    finding_rectify,
    findings_escalate_overdue,
    round_create,
)
from carebridge.performance.tests.conftest import SHANGHAI, png
from carebridge.performance.tests.factories import build_scorecard

pytestmark = pytest.mark.django_db
MARCH = dt.date(2025, 3, 1)
APRIL_START = dt.datetime(2025, 4, 1, tzinfo=SHANGHAI)
MARCH_START = dt.datetime(2025, 3, 1, tzinfo=SHANGHAI)


@pytest.fixture
def two_findings(clock, hospital, inspector_qian, head_guo, ward_area):
    inspection = round_create(
        hospital_id=hospital.pk, kind=RoundKind.TUESDAY, held_on=dt.date(2025, 3, 11), actor=inspector_qian
    )
    return [
        finding_record(
            inspection=inspection,
            area=ward_area,
            description=text,
            deadline=dt.date(2025, 3, 14),
            actor=inspector_qian,
        )
        for text in ("地面积水", "垃圾未分类")
    ]


@pytest.fixture
def cardiology_card(admin_sun, hospital, cardiology):
    return build_scorecard(
        actor=admin_sun, hospital=hospital, level="department", department=cardiology, name="心内科计分卡",
        kpis={"findings_late": {"target": 0, "minimum": 3}},
    )  # fmt: skip


def test_a_finding_not_rectified_by_its_deadline_shows_in_the_departments_scorecard_for_that_month(
    request, two_findings, head_guo, admin_sun, hospital
):
    clock = request.getfixturevalue("clock")
    orthopaedics = request.getfixturevalue("orthopaedics")
    on_time, left_open = two_findings
    clock.move_to(dt.datetime(2025, 3, 14, 17, 0, tzinfo=SHANGHAI))
    finding_rectify(finding=on_time, actor=head_guo, note="已清理", photos=[png()])
    clock.move_to(dt.datetime(2025, 4, 2, 9, 0, tzinfo=SHANGHAI))
    assert findings_escalate_overdue() == 1
    card = build_scorecard(
        actor=admin_sun, hospital=hospital, level="department", department=orthopaedics, name="骨科计分卡",
        kpis={
            "findings_late": {"target": 0, "minimum": 3},
            "findings_rectified_in_time": {"target": 95, "minimum": 60},
        },
    )  # fmt: skip
    late = KpiAssignment.objects.get(objective__perspective__scorecard=card, kpi__code="findings_late")
    in_time = KpiAssignment.objects.get(
        objective__perspective__scorecard=card, kpi__code="findings_rectified_in_time"
    )
    assert computed_month_figure(card, late, MARCH).value == 1
    march = computed_month_figure(card, in_time, MARCH)
    assert (march.numerator, march.denominator, march.value) == (1, 2, 50)
    assert list(
        kpi_rows(scorecard=card, assignment=late, span=parse_span("2025-03"), part=PART_NUMERATOR)
    ) == [left_open]
    assert computed_month_figure(card, late, dt.date(2025, 4, 1)).value == 0
    cardiology_card = request.getfixturevalue("cardiology_card")
    other = KpiAssignment.objects.get(objective__perspective__scorecard=cardiology_card)
    assert computed_month_figure(cardiology_card, other, MARCH).value == 0


def test_a_finding_within_its_deadline_is_not_judged_yet(two_findings, hospital, orthopaedics):
    scope = KpiScope(hospital_id=hospital.pk, level="department", department_ids=frozenset({orthopaedics.pk}))
    result = computed_kpi("findings_rectified_in_time").compute(scope, MARCH_START, APRIL_START)  # type: ignore[union-attr]
    assert result.value is None  # the clock is the 11th; the deadline is the 14th


def test_training_and_activity_kpis_equal_counts_over_their_rows(desk, hospital):
    session = TrainingSession.objects.create(
        hospital=hospital, course=desk.course, held_on=dt.date(2025, 3, 7), trainer="t"
    )
    scores = (90, 55, 70)
    for person, score in zip(desk.people, scores, strict=False):
        Attendance.objects.create(
            session=session, staff=person, hours=Decimal(4), score=score, passed=score >= 60
        )
    Activity.objects.create(
        hospital=hospital,
        kind=ActivityKind.LECTURE,
        title="讲座",
        held_on=dt.date(2025, 3, 20),
        organiser=desk.department,
    )
    Activity.objects.create(
        hospital=hospital, kind=ActivityKind.MEDIA, title="报道", held_on=dt.date(2025, 4, 2)
    )
    scope = KpiScope(hospital_id=hospital.pk)
    hours = computed_kpi("training_hours")
    assert hours is not None
    result = hours.compute(scope, MARCH_START, APRIL_START)
    rows = list(hours.rows(scope, MARCH_START, APRIL_START, "den"))
    assert result.numerator == float(sum(a.hours for a in rows)) == 12
    assert result.denominator == 3 and result.value == 4
    passed = computed_kpi("training_pass_rate").compute(scope, MARCH_START, APRIL_START)  # type: ignore[union-attr]
    assert (passed.numerator, passed.denominator) == (2, 3)
    held = computed_kpi("activities_held")
    assert held is not None
    assert (
        held.compute(scope, MARCH_START, APRIL_START).value
        == len(held.rows(scope, MARCH_START, APRIL_START, "den"))
        == 1
    )
    department = KpiScope(
        hospital_id=hospital.pk, level="department", department_ids=frozenset({desk.department.pk})
    )
    assert held.compute(department, MARCH_START, APRIL_START).value == 1
