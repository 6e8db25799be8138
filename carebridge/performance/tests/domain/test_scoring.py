"""Scoring rules, bands, the weighted roll-up and the periods, against figures worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from carebridge.performance.domain import scoring
from carebridge.performance.domain.periods import parse_span


@pytest.mark.parametrize(
    ("value", "rule", "expected"),
    [
        (60, "linear", 0.0),  # at the minimum
        (95, "linear", 100.0),  # at the target
        (77.5, "linear", 50.0),  # half way: (77.5 − 60) / (95 − 60) = 0.5
        (99, "linear", 111.43),  # beyond the target it keeps rising: 39 / 35
        (50, "linear", 0.0),  # never below zero
        (99, "capped", 100.0),
        (77.5, "capped", 50.0),
    ],
)
def test_linear_and_capped_rules_score_between_minimum_and_target(value, rule, expected):
    assert scoring.score(value, target=95, minimum=60, rule=rule) == expected


def test_a_lower_is_better_kpi_mirrors_the_line():
    # Answer time: target 5 minutes, minimum 15: 10 minutes is half way.
    assert scoring.score(10, target=5, minimum=15, rule="capped", direction="lower") == 50.0
    assert scoring.score(3, target=5, minimum=15, rule="capped", direction="lower") == 100.0
    assert scoring.band(12, green_from=5, amber_from=15, direction="lower") == "amber"


def test_the_stepped_rule_gives_the_score_of_the_best_step_reached():
    steps = [[90, 60], [95, 80], [98, 100]]
    assert scoring.score(96, target=98, minimum=90, rule="stepped", steps=steps) == 80
    assert scoring.score(89, target=98, minimum=90, rule="stepped", steps=steps) == 0
    assert scoring.score(98, target=98, minimum=90, rule="stepped", steps=steps) == 100


def test_missing_is_missing_never_zero():
    assert scoring.score(None, target=95, minimum=60, rule="linear") is None
    assert scoring.band(None, green_from=95, amber_from=60) == "missing"
    # (80 × 30 + 60 × 20) / 50 = 72 over the half of the weight that has figures.
    assert scoring.weighted([(80, 30), (None, 50), (60, 20)]) == (72.0, 50.0)
    assert scoring.weighted([(None, 100)]) == (None, 0.0)


def test_bands_are_green_at_the_threshold_amber_between_and_red_below():
    assert scoring.band(95, green_from=95, amber_from=80) == "green"
    assert scoring.band(80, green_from=95, amber_from=80) == "amber"
    assert scoring.band(79.9, green_from=95, amber_from=80) == "red"


def test_weights_must_sum_to_one_hundred():
    assert scoring.weight_problem([Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]) is None
    assert scoring.weight_problem([40, 50]) == Decimal(90)


def test_bonus_coefficient_is_the_score_over_100_within_its_bounds():
    assert scoring.bonus_coefficient(87.5) == 0.88
    assert scoring.bonus_coefficient(30) == 0.5
    assert scoring.bonus_coefficient(180) == 1.5
    assert scoring.bonus_coefficient(None) is None


def test_periods_parse_months_quarters_and_years():
    assert parse_span("2026-03").months() == [dt.date(2026, 3, 1)]
    assert parse_span("2026-Q2").months() == [dt.date(2026, 4, 1), dt.date(2026, 5, 1), dt.date(2026, 6, 1)]
    assert len(parse_span("2025").months()) == 12
    assert parse_span("2026-Q5") is None and parse_span("march") is None
    assert parse_span("2026-Q1").previous().label == "2025-Q4"
