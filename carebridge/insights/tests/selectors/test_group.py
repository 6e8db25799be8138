"""The hospital-group comparison: shares compared across hospitals with the chi-square test (closed form),
hospitals below the minimum n shown but not tested, other hospitals shown only as benchmarks, and nothing
for department-scoped users."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from carebridge.core.tests.factories import HospitalFactory, make_persona
from carebridge.insights.selectors.group import group_comparison, shares_compared

pytestmark = pytest.mark.django_db


def test_shares_are_compared_with_the_chi_square_test_and_small_hospitals_are_not_tested():
    # 45/60 and 30/60: χ² = 8 on 1 df, p = 0.004677735 (R: prop.test(c(45, 30), c(60, 60), correct = FALSE)).
    result = shares_compared([("A", 45, 60), ("B", 30, 60), ("C", 5, 10)])
    assert result["test"]["statistic"] == pytest.approx(8.0)
    assert result["test"]["p"] == pytest.approx(0.004677735, rel=1e-6)
    assert [u["small"] for u in result["units"]] == [False, False, True]
    assert shares_compared([("A", 45, 60), ("C", 5, 10)])["test"] is None


def test_other_hospitals_are_benchmarks_and_department_roles_see_nothing(
    hospital, quality_officer_qian, paediatrics
):
    other = HospitalFactory(name="连心桥分院", level="2A", type="specialty")
    end = timezone.now()
    with translation.override("en"):  # the labels are asserted in English, whatever a test before left active
        result = group_comparison(user=quality_officer_qian, start=end - dt.timedelta(days=90), end=end)
    labels = [h["label"] for h in result["hospitals"]]
    assert hospital.name in labels and other.name not in labels
    assert any(label.startswith("Benchmark:") for label in labels)
    head = make_persona("head", "dept_head", hospital, departments=[paediatrics])
    assert group_comparison(user=head, start=end - dt.timedelta(days=90), end=end) == {"allowed": False}


def test_the_page_opens_for_the_quality_office_and_for_a_department_head(
    client, quality_officer_qian, hospital, paediatrics
):
    client.force_login(quality_officer_qian)
    page = client.get("/insights/group/")
    assert page.status_code == 200 and hospital.name in page.content.decode()
    client.force_login(make_persona("head", "dept_head", hospital, departments=[paediatrics]))
    assert client.get("/insights/group/").status_code == 200
