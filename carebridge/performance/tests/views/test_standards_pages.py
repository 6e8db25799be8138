"""The standards pages: each opens for the roles that may see it, forms go through the services, the
department head's page shows the escalated finding, and an outsider gets 403/404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from carebridge.performance.choices import ActivityKind, FindingStatus, RoundKind
from carebridge.performance.models import (
    Activity,
    Attendance,
    Finding,
    HealthDay,
    PostAssignment,
    TrainingSession,
)
from carebridge.performance.services.inspections import (
    finding_record,
    findings_escalate_overdue,
    round_create,
)
from carebridge.performance.tests.conftest import SHANGHAI, png
from carebridge.performance.tests.services.test_attendance_import import GOOD_AND_BAD

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def world(request, hospital, desk, inspector_qian, ward_area):
    request.getfixturevalue("clock")
    request.getfixturevalue("head_guo")  # the head the finding is assigned to
    PostAssignment.objects.create(staff=desk.people[0], post=desk.posts.guide, starts_on=dt.date(2024, 1, 1))
    session = TrainingSession.objects.create(
        hospital=hospital, course=desk.course, held_on=dt.date(2025, 3, 7), trainer="王老师"
    )
    Attendance.objects.create(session=session, staff=desk.people[0], hours=4, score=90, passed=True)
    day = HealthDay.objects.create(hospital=hospital, month=3, day=24, name="世界防治结核病日")
    activity = Activity.objects.create(
        hospital=hospital, kind=ActivityKind.FREE_CLINIC, title="结核病日义诊", held_on=dt.date(2025, 3, 24),
        health_day=day, attendees=120, hours=Decimal(4),
    )  # fmt: skip
    inspection = round_create(
        hospital_id=hospital.pk, kind=RoundKind.TUESDAY, held_on=dt.date(2025, 3, 11), actor=inspector_qian
    )
    finding = finding_record(
        inspection=inspection, area=ward_area, description="楼道堆放杂物", deadline=dt.date(2025, 3, 12),
        actor=inspector_qian, photos=[png()],
    )  # fmt: skip
    return {
        "session": session,
        "activity": activity,
        "round": inspection,
        "finding": finding,
        "staff": desk.people[0],
    }


def test_every_page_opens_for_the_quality_office(client, world, inspector_qian):
    login(client, inspector_qian)
    urls = [
        reverse("performance:home"),
        reverse("performance:courses"),
        reverse("performance:sessions"),
        reverse("performance:session", args=[world["session"].pk]),
        reverse("performance:training_statistics") + "?year=2025",
        reverse("performance:staff"),
        reverse("performance:staff_profile", args=[world["staff"].pk]),
        reverse("performance:rotation"),
        reverse("performance:activities"),
        reverse("performance:activity_new"),
        reverse("performance:activity", args=[world["activity"].pk]),
        reverse("performance:activity_summary") + "?year=2025",
        reverse("performance:calendar") + "?year=2025",
        reverse("performance:rounds"),
        reverse("performance:round", args=[world["round"].pk]),
        reverse("performance:findings"),
        reverse("performance:finding", args=[world["finding"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_import_form_reports_the_bad_row_and_imports_nothing(client, world, inspector_qian):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, inspector_qian)
    url = reverse("performance:session", args=[world["session"].pk])
    sheet = SimpleUploadedFile("签到表.xlsx", GOOD_AND_BAD)
    response = client.post(url, {"action": "import", "mode": "all", "file": sheet})
    assert response.status_code == 200
    assert "nothing was imported" in response.content.decode()
    assert "No member of staff called 赵无名" in response.content.decode()
    assert Attendance.objects.count() == 1


def test_the_heads_page_shows_the_escalated_finding(client, world, head_guo, clock):
    clock.move_to(dt.datetime(2025, 3, 13, 9, 0, tzinfo=SHANGHAI))
    assert findings_escalate_overdue() == 1
    login(client, head_guo)
    page = client.get(reverse("performance:my_findings")).content.decode()
    assert "楼道堆放杂物" in page and "Escalated" in page
    assert 'id="department-month"' in page and "骨科" in page


def test_the_head_rectifies_through_the_page(client, world, head_guo):
    login(client, head_guo)
    url = reverse("performance:finding", args=[world["finding"].pk])
    response = client.post(url, {"action": "rectify", "note": "已清理", "photos": [png("after.png")]})
    assert response.status_code == 302
    assert Finding.objects.get().status == FindingStatus.RECTIFIED


def test_a_head_of_another_department_cannot_open_the_finding(client, world, head_zhou):
    login(client, head_zhou)
    assert client.get(reverse("performance:finding", args=[world["finding"].pk])).status_code == 404
    assert client.get(reverse("performance:rounds")).status_code == 200  # rounds are hospital-wide


def test_an_outsider_without_permissions_is_refused(client, world, clinician_zhou):
    login(client, clinician_zhou)
    assert client.get(reverse("performance:home")).status_code == 403
    assert client.get(reverse("performance:activities")).status_code == 403


def test_a_new_activity_is_saved_with_a_photo(client, world, inspector_qian):
    login(client, inspector_qian)
    data = {
        "kind": "lecture", "title": "高血压健康讲座", "held_on": "2025-03-11", "participants": 3,
        "attendees": 80, "hours": "2", "boards": 2, "banners": 1, "leaflets": 200, "prescriptions": 50,
        "cost": "300",
        "attachments": [png("lecture.png")],
    }  # fmt: skip
    response = client.post(reverse("performance:activity_new"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(title="高血压健康讲座")
    assert activity.attachments.count() == 1


def test_the_profile_of_a_former_member_of_staff_still_opens_from_the_rotation_page(
    client, world, inspector_qian
):
    person = world["staff"]
    person.is_active = False
    person.save(update_fields=["is_active"])
    login(client, inspector_qian)
    assert client.get(reverse("performance:staff_profile", args=[person.pk])).status_code == 200


def test_every_person_on_the_training_statistics_has_a_profile_that_opens(
    client, world, desk, inspector_qian
):
    from carebridge.core.tests.factories import DepartmentFactory

    elsewhere = DepartmentFactory(hospital=world["session"].hospital, code="INFE", name="感染科")
    desk.people[2].home_department = elsewhere
    desk.people[2].save(update_fields=["home_department"])
    Attendance.objects.create(
        session=world["session"], staff=desk.people[2], hours=3, score=None, passed=None
    )
    login(client, inspector_qian)
    page = client.get(reverse("performance:training_statistics") + "?year=2025").content.decode()
    import re

    links = set(re.findall(r'href="(/performance/staff/\d+/)"', page))
    assert len(links) == 2
    for link in links:
        assert client.get(link).status_code == 200, link
