"""The responses a user may see in the insights app: only analysts (``surveys.analyse_surveys``), and
only in their data scope — department heads, ward managers and leaders analyse without opening single
questionnaires (they hold no ``surveys.view_response``); agents and clinicians see nothing."""

from __future__ import annotations

import pytest

from carebridge.insights.selectors.rates import response_rates
from carebridge.insights.selectors.report_document import build_report
from carebridge.insights.selectors.responses import responses_visible
from carebridge.insights.tests.support.report_data import MONTH

pytestmark = pytest.mark.django_db

# 60 answers a month per department, September and October, three departments.
ALL, ONE_DEPARTMENT = 360, 120


PERSONAS = (
    "quality_officer_qian",
    "executive_zhao",
    "admin_sun",
    "paediatrics_head",
    "ward_manager_wang",
    "agent_ann",
    "clinician_zhou",
    "complaint_officer_li",
    "outsider",
)


def test_analysts_see_their_scope_and_everybody_else_nothing(request, report_data, hospital):
    users = {name: request.getfixturevalue(name) for name in PERSONAS}
    seen = {user.username: responses_visible(user=user, hospital=hospital).count() for user in users.values()}
    assert seen == {
        "qian": ALL,
        "zhao": ALL,
        "sun": ALL,
        "liu": ONE_DEPARTMENT,
        "wang": ONE_DEPARTMENT,
        "ann": 0,
        "zhou": 0,
        "li": 0,
        "outsider": 0,
    }
    head = users["paediatrics_head"]
    assert not head.has_perm("surveys.view_response")  # aggregates only, as intended
    assert not responses_visible(user=head).exclude(department=report_data.departments["PEDI"]).exists()


def test_a_user_without_the_analysis_permission_gets_an_empty_report_and_no_rate(report_data, agent_ann):
    # The report's reads used to apply the scope only: an agent (hospital-wide) got the whole hospital.
    report = build_report(user=agent_ann, month=MONTH)
    assert report.n == 0 and report.instrument is None and not report.instruments
    rates = response_rates(user=agent_ann, wave_ids=[report_data.wave.pk])
    assert [(r.sent, r.completed, r.responses) for r in rates] == [(0, 0, 0)]
