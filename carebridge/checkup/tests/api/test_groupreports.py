"""The group report API: the staff version carries observed, expected and the strata an analyst checks
the standardisation with; ``?audience=employer`` carries no count from 1 to 4; the PDF and the Excel file
come from the same numbers; nothing for a role outside the centre; bad input gets a clear error."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.checkup.demo.reportables import reportables_install
from carebridge.checkup.tests.factories import EmployerGroupFactory
from carebridge.checkup.tests.support.groups import examined, person, unit

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 5, 10)
COUNT_KEYS = {
    "n",
    "cases",
    "participants",
    "roster",
    "roster_examined",
    "observed",
    "paired_n",
    "only_before",
    "only_now",
}


@pytest.fixture
def reported(catalogue, centre):
    reportables_install(hospital=centre.hospital)
    group = EmployerGroupFactory(department=centre, name="某测试单位")
    unit(
        group, [("M", 30, 20, 2), ("M", 50, 10, 3), ("M", 65, 5, 3), ("F", 30, 5, 0), ("F", 50, 5, 1)], on=DAY
    )
    examined(group, person(centre.hospital, sex="F", age=66, on=DAY), on=DAY, hypertensive=True)
    return group


def _counts(value, found=None):
    found = [] if found is None else found
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in COUNT_KEYS and isinstance(inner, int):
                found.append(inner)
            _counts(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _counts(inner, found)
    return found


def test_the_staff_version_carries_observed_expected_and_strata(reported, examiner_he, api_client):
    answer = api_client(examiner_he).get(f"/api/v1/checkup/groups/{reported.pk}/report/", {"year": 2024})
    assert answer.status_code == 200
    htn = next(f for f in answer.json()["findings"] if f["code"] == "HTN")
    assert htn["observed"] == 10 and htn["expected"] > 0
    assert {"n", "cases", "reference_rate", "weight"} <= set(htn["strata"][0])
    assert sum(s["n"] for s in htn["strata"]) == 46
    assert sum(s["weight"] for s in htn["strata"]) == pytest.approx(1, abs=1e-4)


def test_the_employer_version_has_no_count_from_1_to_4(reported, examiner_he, api_client):
    answer = api_client(examiner_he).get(
        f"/api/v1/checkup/groups/{reported.pk}/report/", {"year": 2024, "audience": "employer"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert [n for n in _counts(body) if 1 <= n <= 4] == []
    assert all("strata" not in f for f in body["findings"])
    # The women (5 + 5 + 1) are shown as a count; the sex-by-age cross-table is not.
    assert "sex_by_age_band" not in body


def test_the_pdf_and_excel_files_of_both_versions(reported, examiner_he, api_client):
    client = api_client(examiner_he)
    pdf = client.get(
        f"/api/v1/checkup/groups/{reported.pk}/report.pdf", {"year": 2024, "audience": "employer"}
    )
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    xlsx = client.get(f"/api/v1/checkup/groups/{reported.pk}/report.xlsx", {"year": 2024})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_bad_input_and_outsiders(reported, examiner_he, clinician_zhou, api_client):
    client = api_client(examiner_he)
    assert (
        client.get(f"/api/v1/checkup/groups/{reported.pk}/report/", {"audience": "public"}).status_code == 400
    )
    assert client.get(f"/api/v1/checkup/groups/{reported.pk}/report/", {"year": "20x4"}).status_code == 400
    assert client.get("/api/v1/checkup/groups/999999/report/").status_code == 404
    assert api_client(clinician_zhou).get(f"/api/v1/checkup/groups/{reported.pk}/report/").status_code == 403
