"""The personal health record: every visit and result across the years, trends of key values, the risk
level of each visit; only for the centre's roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.http import Http404

from carebridge.checkup.selectors.records import health_record
from carebridge.checkup.services.aftercare import aftercare_findings
from carebridge.checkup.tests.conftest import MORNING
from carebridge.checkup.tests.support.people import examined, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_years(site):
    visits = []
    for years_ago, values in (
        (1, {"GLU": "5.6", "TC": "4.9", "USTHY": "normal"}),
        (0, {"GLU": "6.4", "TC": "5.8", "USTHY": "nodule"}),
    ):
        site.clock.move_to(MORNING - dt.timedelta(days=365 * years_ago))
        visit = examined(
            centre=site.centre,
            actor=site.staff,
            catalogue=site.catalogue,
            values=values,
            patient=site.customer,
        )
        visits.append(signed(visit=visit, examiner=site.examiner))
    return visits


def test_the_record_holds_every_visit_and_result_with_trends_and_risk_levels(site, two_years):
    record = health_record(user=site.examiner, patient_id=site.customer.pk)
    assert [v.pk for v in record.visits] == [v.pk for v in two_years]
    glucose = next(row for row in record.rows if row.item.code == "GLU")
    assert [str(cell.value_numeric) for cell in glucose.cells] == ["5.6000", "6.4000"]
    assert len(record.trends) == 2  # glucose and cholesterol are key values with two points
    assert [v.risk_level for v in record.visits] == [5, 3]


def test_a_role_outside_the_centre_has_no_record(site, two_years, clinician_zhou):
    with pytest.raises(Http404):
        health_record(user=clinician_zhou, patient_id=site.customer.pk)


def test_abnormal_findings_not_handled_as_critical_are_selected_for_follow_up(site, two_years):
    latest = two_years[-1]
    needs = aftercare_findings(latest)
    assert {need.item for need in needs} == {"空腹血糖", "总胆固醇", "甲状腺超声"}
    critical = {needs[0].result_id}
    assert len(aftercare_findings(latest, critical_result_ids=frozenset(critical))) == 2
