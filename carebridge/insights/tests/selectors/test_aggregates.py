"""The stored monthly aggregate gives the dashboards the same cells as the live computation (issue 18):
for closed months read from it, for a month that closes at the next refresh, for a response that arrives
late for a closed month (counted by the next refresh), for a hospital-wide and a department-scoped user,
per department and overall, with the top-box share of one item."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carebridge.core.tests.factories import make_persona
from carebridge.insights.models import AggregateRefresh, ResponseMonth
from carebridge.insights.selectors.aggregates import monthly_cells, stored_until
from carebridge.insights.selectors.report import MonthlyCell, hospital_zone, monthly_summary
from carebridge.insights.selectors.responses import responses_visible
from carebridge.insights.services.aggregates import response_months_refresh
from carebridge.lib.periods import add_months, month_of
from carebridge.surveys.services.responses import response_store
from carebridge.surveys.tests.support.responses import open_wave

pytestmark = pytest.mark.django_db
AUGUST, SEPTEMBER, OCTOBER, NOVEMBER = (dt.date(2026, m, 1) for m in (8, 9, 10, 11))


def _answer(wave, rng, *, department, submitted_at):
    answers = {
        # Every seventh q1 is "not applicable": not an answer, so outside the top-box share.
        "q1": "na" if rng.random() < 1 / 7 else int(rng.integers(1, 6)),
        "q2": int(rng.integers(1, 6)),
        "q3": int(rng.integers(1, 6)),
        "nps": int(rng.integers(0, 11)),
    }
    return response_store(
        wave=wave,
        answers=answers,
        mode="web",
        language="zh-hans",
        submitted_at=submitted_at,
        department=department,
    )


@pytest.fixture
def survey(hospital, quality_officer_qian, cardiology, paediatrics):
    """Answers from August to the middle of November 2026, in two departments and without one; the
    first of a month in Beijing is the last evening of the month before in UTC."""
    wave = open_wave(hospital=hospital, owner=quality_officer_qian)
    rng = np.random.default_rng(18)
    for month in (AUGUST, SEPTEMBER, OCTOBER, NOVEMBER):
        start = month_of(month, hospital_zone(hospital)).start
        for i in range(24):
            department = (cardiology, paediatrics, None)[i % 3]
            _answer(wave, rng, department=department, submitted_at=start + dt.timedelta(hours=i * 13 + 1))
        # The month's first minutes in Beijing (the day before in UTC) belong to this month.
        _answer(wave, rng, department=paediatrics, submitted_at=start + dt.timedelta(minutes=5))
    return wave


def _live(user, hospital, first, last, **kwargs) -> list[MonthlyCell]:
    zone = hospital_zone(hospital)
    responses = responses_visible(user=user, hospital=hospital)
    department = kwargs.pop("department_id", None)
    if department is not None:
        responses = responses.filter(department_id=department)
    cells = monthly_summary(
        responses=responses,
        start=month_of(first, zone).start,
        end=month_of(add_months(last, 1), zone).start,
        zone=zone,
        **kwargs,
    )
    return sorted(cells, key=lambda c: (c.month, c.department_id is None, c.department_id or 0))


def _same(stored: list[MonthlyCell], live: list[MonthlyCell]) -> None:
    assert [(c.month, c.department_id, c.n, c.top_box_n, c.top_box_answers) for c in stored] == [
        (c.month, c.department_id, c.n, c.top_box_n, c.top_box_answers) for c in live
    ]
    for ours, theirs in zip(stored, live, strict=True):
        assert ours.mean == pytest.approx(theirs.mean, rel=1e-12)
        assert (ours.sd is None) == (theirs.sd is None)
        if ours.sd is not None:
            assert ours.sd == pytest.approx(theirs.sd, rel=1e-9)


TOP = {"item_code": "q1", "top_box_from": 4}


@pytest.mark.parametrize("by_department", [True, False])
def test_closed_months_from_the_aggregate_equal_the_live_computation(
    survey, hospital, quality_officer_qian, by_department
):
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        response_months_refresh()
        assert stored_until(hospital=hospital) == NOVEMBER
        with CaptureQueriesContext(connection) as queries:
            cells = monthly_cells(
                user=quality_officer_qian,
                hospital=hospital,
                first=AUGUST,
                last=NOVEMBER,
                by_department=by_department,
                instrument=survey.version.instrument,
                **TOP,
            )
        live = _live(
            quality_officer_qian,
            hospital,
            AUGUST,
            NOVEMBER,
            by_department=by_department,
            instrument=survey.version.instrument,
            **TOP,
        )
    _same(cells, live)
    assert {c.month for c in cells} == {AUGUST, SEPTEMBER, OCTOBER, NOVEMBER}
    assert sum(c.n for c in cells) == 4 * 25
    if by_department:  # the responses without a department are a cell of their own, last in the month
        assert [c.department_id for c in cells if c.month == AUGUST][-1] is None
    sql = [q["sql"] for q in queries.captured_queries]
    # August to October from the aggregate; only November reads the responses, in one pass.
    assert any("insights_responsemonth" in s for s in sql)
    assert sum('FROM "surveys_response"' in s for s in sql) == 1
    assert not any(" IN (SELECT" in s.upper() for s in sql if "surveys_" in s)


def test_a_department_head_gets_the_same_cells_from_the_aggregate(survey, hospital, paediatrics):
    head = make_persona("liu", "dept_head", hospital, departments=[paediatrics])
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        response_months_refresh()
        cells = monthly_cells(user=head, hospital=hospital, first=AUGUST, last=NOVEMBER, **TOP)
        live = _live(head, hospital, AUGUST, NOVEMBER, **TOP)
    _same(cells, live)
    assert {c.department_id for c in cells} == {paediatrics.pk}
    assert (
        ResponseMonth.objects.filter(hospital_id=hospital.pk).exclude(department_id=paediatrics.pk).exists()
    )


def test_a_month_closes_at_the_refresh_after_its_end(survey, hospital, quality_officer_qian):
    arguments = {
        "user": quality_officer_qian,
        "hospital": hospital,
        "first": SEPTEMBER,
        "last": NOVEMBER,
        **TOP,
    }
    with time_machine.travel(dt.datetime(2026, 10, 31, 12, tzinfo=dt.UTC), tick=False):  # 31 Oct, 20:00 local
        response_months_refresh()
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        # The refresh ran in October: October is not closed in the aggregate yet and is counted live.
        assert stored_until(hospital=hospital) == OCTOBER
        before = monthly_cells(**arguments)
        _same(before, _live(quality_officer_qian, hospital, SEPTEMBER, NOVEMBER, **TOP))
        response_months_refresh()  # the nightly refresh after October ended
        assert stored_until(hospital=hospital) == NOVEMBER
        after = monthly_cells(**arguments)
        _same(after, _live(quality_officer_qian, hospital, SEPTEMBER, NOVEMBER, **TOP))
    assert AggregateRefresh.objects.count() == 2


def test_a_late_response_for_a_closed_month_is_counted_by_the_next_refresh(
    survey, hospital, quality_officer_qian, cardiology
):
    arguments = {"user": quality_officer_qian, "hospital": hospital, "first": AUGUST, "last": NOVEMBER}
    arguments.update(TOP)
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        response_months_refresh()
        stored = monthly_cells(**arguments)
        # A paper questionnaire of September entered in November.
        late = _answer(
            survey,
            np.random.default_rng(1),
            department=cardiology,
            submitted_at=dt.datetime(2026, 9, 15, 3, tzinfo=dt.UTC),
        )
        live = _live(quality_officer_qian, hospital, AUGUST, NOVEMBER, **TOP)
        key = (SEPTEMBER, cardiology.pk)
        by_key = {(c.month, c.department_id): c for c in live}
        assert {(c.month, c.department_id): c.n for c in stored}[key] == by_key[
            key
        ].n - 1  # until the refresh
        response_months_refresh()
        _same(monthly_cells(**arguments), live)
    assert late.score is not None


def test_before_the_first_refresh_every_month_is_live(survey, hospital, quality_officer_qian):
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        assert stored_until(hospital=hospital) is None
        cells = monthly_cells(
            user=quality_officer_qian, hospital=hospital, first=AUGUST, last=NOVEMBER, **TOP
        )
        _same(cells, _live(quality_officer_qian, hospital, AUGUST, NOVEMBER, **TOP))


def test_a_refresh_twice_writes_the_same_rows(survey, hospital):
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        response_months_refresh()
        first = sorted(ResponseMonth.objects.values_list("month", "department_id", "n", "total"))
        response_months_refresh()
        assert sorted(ResponseMonth.objects.values_list("month", "department_id", "n", "total")) == first


def test_users_without_the_analysis_permission_get_nothing(survey, hospital, agent_ann):
    with time_machine.travel(dt.datetime(2026, 11, 20, 4, tzinfo=dt.UTC), tick=False):
        response_months_refresh()
        assert monthly_cells(user=agent_ann, hospital=hospital, first=AUGUST, last=NOVEMBER) == []
