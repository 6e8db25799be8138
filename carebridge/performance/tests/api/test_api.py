"""The standards API: scoped lists, Excel export of every list (formula-like text escaped), the
attendance import's all-or-nothing answer, rectification and verification through the services."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from carebridge.performance.choices import ActivityKind, FindingStatus, RoundKind
from carebridge.performance.models import Activity, Attendance, TrainingSession
from carebridge.performance.services.inspections import finding_record, round_create
from carebridge.performance.tests.conftest import png
from carebridge.performance.tests.services.test_attendance_import import GOOD_AND_BAD

pytestmark = pytest.mark.django_db
BASE = "/api/v1/performance/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def finding(clock, hospital, inspector_qian, head_guo, ward_area):
    inspection = round_create(
        hospital_id=hospital.pk, kind=RoundKind.SPOT, held_on=dt.date(2025, 3, 11), actor=inspector_qian
    )
    return finding_record(
        inspection=inspection, area=ward_area, description="垃圾未分类", deadline=dt.date(2025, 3, 13),
        actor=inspector_qian,
    )  # fmt: skip


def test_every_list_answers_and_exports_to_excel(finding, hospital, desk, inspector_qian):
    Activity.objects.create(
        hospital=hospital, kind=ActivityKind.MEDIA, title="=HYPERLINK(1)", held_on=dt.date(2025, 1, 5)
    )
    TrainingSession.objects.create(
        hospital=hospital, course=desk.course, held_on=dt.date(2025, 2, 1), trainer="t"
    )
    client = api(inspector_qian)
    for name in ("activities", "inspections", "findings", "courses", "sessions"):
        listed = client.get(BASE + name + "/")
        assert listed.status_code == 200, name
        assert listed.json()["count"] == 1, name
        exported = client.get(BASE + name + "/export/")
        assert exported.status_code == 200, name
        assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(exported.content)).active
        assert sheet.max_row == 2, name
    sheet = load_workbook(io.BytesIO(client.get(BASE + "activities/export/").content)).active
    assert sheet["C2"].value == "'=HYPERLINK(1)"


@pytest.mark.parametrize(
    "query", ["round=%C2%B9", "department=%E2%91%A0", "month=%C2%B9%C2%B9%C2%B9%C2%B9-%C2%B9%C2%B9"]
)
def test_findings_ignore_filters_in_digits_int_refuses(finding, inspector_qian, query):
    """ "¹" and "①" pass ``str.isdigit`` but not ``int()``; CI's fuzzer found the 500 on the detail URL."""
    client = api(inspector_qian)
    assert client.get(f"{BASE}findings/?{query}").json()["count"] == 1
    assert client.get(f"{BASE}findings/{finding.pk}/?{query}").status_code == 200


def test_findings_are_scoped_to_the_heads_departments(finding, head_guo, head_zhou):
    assert api(head_guo).get(BASE + "findings/").json()["count"] == 1
    assert api(head_zhou).get(BASE + "findings/").json()["count"] == 0
    assert api(head_zhou).get(f"{BASE}findings/{finding.pk}/").status_code == 404


def test_rectify_and_verify_through_the_api(finding, head_guo, inspector_qian):
    no_photo = api(head_guo).post(
        f"{BASE}findings/{finding.pk}/rectify/", {"note": "已分类"}, format="multipart"
    )
    assert no_photo.status_code == 400 and "photos" in no_photo.json()
    done = api(head_guo).post(
        f"{BASE}findings/{finding.pk}/rectify/", {"note": "已分类", "photos": [png()]}, format="multipart"
    )
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == FindingStatus.RECTIFIED
    verified = api(inspector_qian).post(
        f"{BASE}findings/{finding.pk}/verify/", {"accept": True}, format="json"
    )
    assert verified.json()["status"] == FindingStatus.VERIFIED


def test_the_import_endpoint_answers_400_with_the_row_report_and_imports_nothing(
    clock, hospital, desk, inspector_qian
):
    session = TrainingSession.objects.create(
        hospital=hospital, course=desk.course, held_on=dt.date(2025, 3, 7), trainer="t"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = api(inspector_qian).post(
        f"{BASE}sessions/{session.pk}/import/",
        {"file": SimpleUploadedFile("a.xlsx", GOOD_AND_BAD)},
        format="multipart",
    )
    assert answer.status_code == 400
    assert [r["row"] for r in answer.json()["rows"] if not r["ok"]] == [4, 5]
    assert not Attendance.objects.exists()
    both = {"file": SimpleUploadedFile("a.xlsx", GOOD_AND_BAD), "mode": "valid"}
    answer = api(inspector_qian).post(f"{BASE}sessions/{session.pk}/import/", both, format="multipart")
    assert answer.status_code == 200 and answer.json()["imported"] == 2


def test_an_unknown_kind_is_a_400_not_a_500(inspector_qian):
    assert api(inspector_qian).get(BASE + "activities/?kind=party").status_code == 400


@pytest.mark.parametrize("path", ["activities/", "sessions/"])
def test_a_year_out_of_the_calendar_is_a_400_not_a_500(inspector_qian, path):
    # Found by the API fuzzing stage: ?year=252427 reached the database as a date out of range.
    answer = api(inspector_qian).get(f"{BASE}{path}?year=252427")
    assert answer.status_code == 400 and "year" in answer.json()
    assert api(inspector_qian).get(f"{BASE}{path}?year=2025").status_code == 200


def test_the_activity_page_ignores_a_year_out_of_the_calendar(client, inspector_qian):
    client.force_login(inspector_qian)
    assert client.get("/performance/activities/?year=24439").status_code == 200


@pytest.mark.parametrize("leaflets", [2**31, 67963666342217735208960])
def test_a_count_beyond_what_the_column_holds_is_a_field_error_and_saves_nothing(
    inspector_qian, clock, leaflets
):
    # Found by the API fuzzing stage: a number past 64 bits cannot even be sent to the database (a 500);
    # one past 2**31 was stored on SQLite and a generic 400 on PostgreSQL.
    body = {"kind": "honour", "title": "义诊", "held_on": "2025-01-20", "leaflets": leaflets}
    refused = api(inspector_qian).post(BASE + "activities/", body, format="json")
    assert refused.status_code == 400 and set(refused.json()) == {"leaflets"}
    assert not Activity.objects.exists()
    made = api(inspector_qian).post(BASE + "activities/", body | {"leaflets": 2**31 - 1}, format="json")
    assert made.status_code == 201 and made.json()["leaflets"] == 2**31 - 1


def test_creating_an_activity_and_a_session(desk, inspector_qian, clock):
    made = api(inspector_qian).post(
        BASE + "activities/",
        {"kind": "honour", "title": "双创先进单位", "held_on": "2025-01-20"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["kind_label"]
    session = api(inspector_qian).post(
        BASE + "sessions/",
        {"course": desk.course.pk, "held_on": "2025-03-20", "trainer": "王老师"},
        format="json",
    )
    assert session.status_code == 201, session.json()
    bad = api(inspector_qian).post(
        BASE + "sessions/", {"course": desk.course.pk, "held_on": "x", "trainer": ""}, format="json"
    )
    assert bad.status_code == 400 and {"held_on", "trainer"} <= set(bad.json())
