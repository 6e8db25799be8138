"""On the default demo (``make demo``: ``seed_demo`` with its default size and seed), last month's report —
the one the report page opens on — ranks at least five departments with patient-mix and mode adjusted
scores, from that month's answers alone (not pooled over a year): the post-discharge survey (SMS, phone)
and the pre-discharge questionnaire on paper together give the busiest departments 30 answers or more."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from carebridge.insights.domain.report.compute import UNIT_MINIMUM
from carebridge.insights.selectors.report_document import build_report
from carebridge.surveys.tests.support.demo import demo_in_transaction

AS_OF = dt.date(2026, 12, 3)
NOW = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)  # 18:00 in Shanghai, the demo's "now"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # The default size and seed of ``seed_demo`` (the steps the survey data need).
    yield from demo_in_transaction(django_db_blocker, patients=3000, seed=20261123, as_of=AS_OF)


@pytest.mark.django_db
def test_last_months_report_ranks_five_departments_with_adjusted_scores(demo):
    executive = get_user_model().objects.get(username="executive")
    report = build_report(user=executive, month=None, now=NOW)
    assert report.instrument.code == "inpatient-experience"
    assert report.departments_period == "2026年11月"  # this month's answers, not the 12-month pool
    adjustment = report.departments.adjustment
    assert adjustment is not None and adjustment.mode  # the paper questionnaire's kindness taken out
    ranked = [row for row in report.departments.rows if row.adjusted_rank is not None]
    assert len(ranked) >= 5
    assert all(row.n >= UNIT_MINIMUM and row.adjusted is not None for row in ranked)
    assert sorted(row.adjusted_rank for row in ranked) == list(range(1, len(ranked) + 1))
