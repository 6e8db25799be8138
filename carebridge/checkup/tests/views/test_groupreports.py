"""The group report pages: listed under the centre's tabs, the report in zh-hans with labels, the
employer's version one click away, its downloads; the expert advice is versioned and released once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from carebridge.checkup.demo.reportables import reportables_install
from carebridge.checkup.models import GroupReportAdvice
from carebridge.checkup.services.groupreports import group_advice_release, group_advice_save
from carebridge.checkup.tests.factories import EmployerGroupFactory
from carebridge.checkup.tests.support.groups import unit
from carebridge.checkup.tests.support.pages import client_for, visible_text

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 5, 10)


@pytest.fixture
def reported(catalogue, centre):
    reportables_install(hospital=centre.hospital)
    group = EmployerGroupFactory(department=centre, name="某测试单位")
    unit(group, [("M", 30, 12, 2), ("F", 50, 8, 3)], on=DAY)
    return group


def test_the_report_is_listed_and_shows_in_chinese(reported, examiner_he):
    client = client_for(examiner_he)
    listing = client.get("/checkup/group-reports/")
    assert (
        listing.status_code == 200
        and f"/checkup/groups/{reported.pk}/report/?year=2024" in listing.content.decode()
    )
    page = client.get(f"/checkup/groups/{reported.pk}/report/", {"year": 2024})
    text = visible_text(page.content.decode())
    assert page.status_code == 200
    assert "血压升高（高血压）" in text and "示例参考患病率" in text
    employer = client.get(f"/checkup/groups/{reported.pk}/report/", {"year": 2024, "audience": "employer"})
    assert employer.status_code == 200
    download = client.get(
        f"/checkup/groups/{reported.pk}/report.xlsx", {"year": 2024, "audience": "employer"}
    )
    assert download.status_code == 200 and download.content.startswith(b"PK")


def test_outsiders_see_nothing(reported, clinician_zhou):
    client = client_for(clinician_zhou)
    assert client.get("/checkup/group-reports/").status_code == 403
    assert client.get(f"/checkup/groups/{reported.pk}/report/").status_code == 403


def test_advice_is_versioned_and_released_once(reported, examiner_he):
    client = client_for(examiner_he)
    url = f"/checkup/groups/{reported.pk}/report/advice/"
    client.post(url, {"year": 2024, "text": "第一稿"})
    client.post(url, {"year": 2024, "text": "第二稿：加强血压管理"})
    assert list(
        GroupReportAdvice.objects.filter(group=reported, year=2024).values_list("version", "text")
    ) == [
        (2, "第二稿：加强血压管理"),
        (1, "第一稿"),
    ]
    client.post(url, {"year": 2024, "release": "1"})
    client.post(url, {"year": 2024, "text": "发布后修改"})
    assert GroupReportAdvice.objects.filter(group=reported, year=2024).count() == 2
    latest = GroupReportAdvice.objects.filter(group=reported, year=2024).first()
    assert latest.released_at is not None and latest.text == "第二稿：加强血压管理"
    # The requests above activated the page language (zh-hans); the message is asserted in English.
    with translation.override("en"), pytest.raises(Exception, match="released"):
        group_advice_release(group=reported, year=2024, actor=examiner_he)


def test_a_staff_member_without_the_right_cannot_write_advice(reported, staff_chen):
    with pytest.raises(Exception, match="not allowed"):
        group_advice_save(group=reported, year=2024, text="x", actor=staff_chen)
