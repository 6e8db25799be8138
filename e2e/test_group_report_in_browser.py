"""A group report in a real browser (issue 14): the chief examiner opens the centre's group reports,
picks a unit's year, reads the report (standardised comparison, illustrative reference flagged), switches
to the employer's version and downloads its PDF."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.checkup.demo.install import catalogue_install
from carebridge.checkup.demo.reportables import reportables_install
from carebridge.checkup.tests.factories import CentreFactory, EmployerGroupFactory
from carebridge.checkup.tests.support.groups import unit
from carebridge.core.tests.factories import PASSWORD, HospitalFactory, make_persona

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DAY = dt.date(2024, 5, 10)


@pytest.fixture
def reported(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    centre = CentreFactory(hospital=hospital, code="CHKP")
    catalogue_install(department=centre)
    reportables_install(hospital=hospital)
    group = EmployerGroupFactory(department=centre, name="某测试单位")
    unit(group, [("M", 30, 12, 2), ("M", 50, 8, 3), ("F", 30, 6, 1), ("F", 50, 6, 2)], on=DAY)
    make_persona("he", "chief_examiner", hospital, departments=[centre])
    return group


def test_the_chief_examiner_opens_a_group_report_and_downloads_the_pdf(reported, page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "he")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    page.goto(live_server.url + "/checkup/group-reports/")
    with page.expect_navigation():
        page.locator("#group-report-table a", has_text="2024").click()
    assert "某测试单位" in page.locator("#group-report-title").inner_text()
    assert page.locator("#finding-HTN").is_visible()
    assert page.locator("#illustrative-note").is_visible()
    with page.expect_navigation():
        page.locator("#employer-version").click()
    assert "audience=employer" in page.url
    with page.expect_download() as download_info:
        page.locator("#report-pdf").click()
    download = download_info.value
    assert download.suggested_filename == f"group-report-{reported.code}-2024-employer.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
