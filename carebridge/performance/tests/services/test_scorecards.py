"""Designing a scorecard, figures entered by hand, and closing and correcting a month: weights that do
not sum to 100 are refused with a clear message and nothing changes; a closed month changes only by a
new version with a reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from carebridge.core.models import AuditEvent
from carebridge.followup.tests.factories import SH
from carebridge.performance.domain.periods import parse_span
from carebridge.performance.models import Kpi, KpiAssignment, KpiEntry, Perspective, ScoreVersion
from carebridge.performance.models.scorecards import KpiDirection, PerspectiveKind, ScorecardStatus
from carebridge.performance.selectors.scores import scorecard_scores
from carebridge.performance.services.scorecards import (
    assignment_add,
    kpi_create,
    kpi_entry_save,
    objective_add,
    period_close,
    period_correct,
    perspective_add,
    scorecard_activate,
    scorecard_create,
    weights_set,
)
from carebridge.performance.tests.factories import build_scorecard

pytestmark = pytest.mark.django_db
MARCH = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def _april():
    with time_machine.travel(dt.datetime(2026, 4, 15, 9, tzinfo=SH), tick=False):
        yield


@pytest.fixture
def attendance(admin_sun):
    return kpi_create(actor=admin_sun, code="hr_attendance", name="出勤率", aggregation="mean")


@pytest.fixture
def card(admin_sun, hospital, attendance):
    return build_scorecard(
        actor=admin_sun, hospital=hospital, kpis={"hr_attendance": {"target": 98, "minimum": 90}}
    )


def test_weights_that_do_not_sum_to_100_are_refused_and_nothing_changes(admin_sun, hospital):
    card = scorecard_create(actor=admin_sun, hospital=hospital, level="hospital", name="医院")
    finance = perspective_add(
        actor=admin_sun, scorecard=card, kind=PerspectiveKind.FINANCIAL, name="财务", weight=Decimal(30)
    )
    customer = perspective_add(
        actor=admin_sun, scorecard=card, kind=PerspectiveKind.CUSTOMER, name="客户", weight=Decimal(70)
    )
    with pytest.raises(ValidationError) as refused:
        weights_set(actor=admin_sun, rows=[finance, customer], weights={finance.pk: "40", customer.pk: "50"})
    assert refused.value.messages == ["These weights sum to 90; the weights of one level must sum to 100."]
    assert sorted(Perspective.objects.values_list("weight", flat=True)) == [Decimal(30), Decimal(70)]
    weights_set(actor=admin_sun, rows=[finance, customer], weights={finance.pk: "25", customer.pk: "75"})
    assert sorted(Perspective.objects.values_list("weight", flat=True)) == [Decimal(25), Decimal(75)]
    assert AuditEvent.objects.filter(action="performance.weights_set").count() == 1


def test_a_scorecard_whose_levels_do_not_sum_to_100_cannot_be_put_in_force(admin_sun, hospital, attendance):
    card = scorecard_create(actor=admin_sun, hospital=hospital, level="hospital", name="医院")
    people = perspective_add(
        actor=admin_sun, scorecard=card, kind=PerspectiveKind.LEARNING, name="学习与成长", weight=Decimal(100)
    )
    objective = objective_add(actor=admin_sun, perspective=people, name="出勤", weight=Decimal(80))
    assignment_add(
        actor=admin_sun,
        objective=objective,
        kpi=attendance,
        weight=Decimal(60),
        target=Decimal(98),
        minimum=Decimal(90),
    )
    with pytest.raises(ValidationError) as refused:
        scorecard_activate(actor=admin_sun, scorecard=card)
    assert refused.value.messages == [
        "The objectives of “学习与成长” weigh 80 in all; they must sum to 100.",
        "The KPIs of “出勤” weigh 60 in all; they must sum to 100.",
    ]
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT


def test_targets_must_be_better_than_minimums_in_the_kpis_direction(admin_sun, card):
    lower = kpi_create(actor=admin_sun, code="turnover", name="流失率", direction=KpiDirection.LOWER)
    objective = card.perspectives.get().objectives.get()
    with pytest.raises(ValidationError, match="The target must be better than the minimum"):
        assignment_add(
            actor=admin_sun,
            objective=objective,
            kpi=lower,
            weight=Decimal(0),
            target=Decimal(5),
            minimum=Decimal(2),
        )
    assert not KpiAssignment.objects.filter(kpi=lower).exists()


def test_a_missing_figure_is_missing_and_a_computed_kpi_cannot_be_typed_in(admin_sun, card):
    result = scorecard_scores(scorecard=card, span=parse_span("2026-03"))
    assert result.total is None and result.band == "missing" and result.kpis()[0].value is None
    computed = Kpi.objects.get(code="complaints_in_time")
    with pytest.raises(ValidationError, match="computed by the platform"):
        kpi_entry_save(actor=admin_sun, scorecard=card, kpi=computed, month=MARCH, value=Decimal(90))


def test_closing_freezes_the_month_and_a_correction_is_a_new_version_with_a_reason(
    admin_sun, quality_officer_qian, card, attendance
):
    kpi_entry_save(actor=admin_sun, scorecard=card, kpi=attendance, month=MARCH, value=Decimal(94))
    # (94 − 90) / (98 − 90) × 100 = 50: amber (between minimum and target).
    first = period_close(actor=quality_officer_qian, scorecard=card, month=MARCH)
    assert first.number == 1 and first.total == Decimal(50)
    with pytest.raises(
        ValidationError, match="2026-03 is closed; correct it with a new version and a reason"
    ):
        kpi_entry_save(actor=admin_sun, scorecard=card, kpi=attendance, month=MARCH, value=Decimal(98))
    assert KpiEntry.objects.get().value == Decimal(94)
    with pytest.raises(ValidationError, match="Say why"):
        period_correct(
            actor=quality_officer_qian,
            scorecard=card,
            month=MARCH,
            reason=" ",
            figures={attendance.pk: {"value": 98}},
        )
    assert ScoreVersion.objects.count() == 1 and KpiEntry.objects.get().value == Decimal(94)
    shown = scorecard_scores(scorecard=card, span=parse_span("2026-03"))
    assert (shown.version, shown.total, shown.kpis()[0].band) == (1, 50.0, "amber")
    second = period_correct(
        actor=quality_officer_qian,
        scorecard=card,
        month=MARCH,
        reason="考勤补录",
        figures={attendance.pk: {"value": 98}},
    )
    assert second.number == 2 and second.reason == "考勤补录"
    shown = scorecard_scores(scorecard=card, span=parse_span("2026-03"))
    assert (shown.version, shown.total, shown.reason) == (2, 100.0, "考勤补录")
    assert list(ScoreVersion.objects.order_by("number").values_list("total", flat=True)) == [
        Decimal(50),
        Decimal(100),
    ]
    with pytest.raises(ValidationError, match="already closed"):
        period_close(actor=quality_officer_qian, scorecard=card, month=MARCH)


def test_a_month_cannot_be_closed_before_it_ends(quality_officer_qian, card):
    with pytest.raises(ValidationError, match="only after it has ended"):
        period_close(actor=quality_officer_qian, scorecard=card, month=dt.date(2026, 4, 1))


def test_months_roll_up_into_a_quarter_by_the_kpis_aggregation(admin_sun, card, attendance):
    for month, value in ((1, 90), (3, 98)):
        kpi_entry_save(
            actor=admin_sun,
            scorecard=card,
            kpi=attendance,
            month=dt.date(2026, month, 1),
            value=Decimal(value),
        )
    quarter = scorecard_scores(scorecard=card, span=parse_span("2026-Q1")).kpis()[0]
    # The mean of the two months reported (February is missing, not zero): (90 + 98) / 2 = 94.
    assert quarter.value == 94.0 and quarter.months_missing == ["2026-02"]
