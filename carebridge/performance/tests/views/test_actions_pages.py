"""The improvement-action pages: a complaint shows the actions raised from it and a button to raise one;
the department head raises, starts and checks an action from her page; lists export to Excel; scope holds."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from carebridge.complaints.tests.factories import make_offices, receive_case
from carebridge.followup.tests.factories import at
from carebridge.performance.choices import ActionSource, ActionStatus
from carebridge.performance.models import ImprovementAction
from carebridge.performance.services.actions import action_create

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    """A client whose pages are in English (the language cookie), as these tests assert them."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def complaint(hospital, complaint_officer_li, paediatrics):
    make_offices(hospital)
    case = receive_case(hospital, complaint_officer_li)
    case.departments.add(paediatrics)
    return case


def test_the_department_head_raises_an_action_from_a_complaint_and_it_shows_on_the_complaint(
    complaint, head_he, nurse_owner, paediatrics
):
    client = _client(head_he)
    page = client.get(reverse("desk:complaint_detail", args=[complaint.pk]))
    assert page.status_code == 200
    link = (
        f"{reverse('performance:action_new')}?source_model=complaints.complaint&amp;source_id={complaint.pk}"
    )
    assert link in page.content.decode()
    url = f"{reverse('performance:action_new')}?source_model=complaints.complaint&source_id={complaint.pk}"
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "title": "护士沟通礼仪培训",
            "department": paediatrics.pk,
            "owner": nurse_owner.pk,
            "due_date": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            "source": ActionSource.COMPLAINT,
            "plan": "情景演练",
            "measure": "satisfaction",
            "window_days": 30,
        },
    )
    action = ImprovementAction.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "performance:action_detail", args=[action.pk]
    )
    assert action.source_object == complaint
    complaint_page = client.get(reverse("desk:complaint_detail", args=[complaint.pk])).content.decode()
    assert "护士沟通礼仪培训" in complaint_page
    detail = client.get(reverse("performance:action_detail", args=[action.pk])).content.decode()
    assert complaint.reference in detail and reverse("desk:complaint_detail", args=[complaint.pk]) in detail
    mine = client.get(reverse("performance:department")).content.decode()
    assert "护士沟通礼仪培训" in mine


def test_moves_and_the_effect_check_from_the_page(complaint, head_he, nurse_owner, paediatrics, answers):
    start = at(2026, 4, 1, 9)
    with time_machine.travel(start - dt.timedelta(days=1)):
        action = action_create(
            department=paediatrics,
            title="缩短候诊",
            owner=nurse_owner,
            due_date=dt.date(2026, 6, 1),
            source=ActionSource.COMPLAINT,
            source_object=complaint,
            measure="satisfaction",
            actor=head_he,
        )
    client = _client(head_he)
    with time_machine.travel(start):
        client.post(reverse("performance:action_move", args=[action.pk]), {"to": "doing"})
    with time_machine.travel(start + dt.timedelta(days=31)):
        client.post(reverse("performance:action_check", args=[action.pk]))
        page = client.get(reverse("performance:action_detail", args=[action.pk])).content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.CHECK
    assert "Not enough data to judge" in page  # no answers at all in either window


def test_another_departments_head_gets_404_and_an_empty_list(head_he, nurse_owner, paediatrics, cardiology):
    from carebridge.core.tests.factories import make_persona

    action = action_create(
        department=paediatrics,
        title="缩短候诊",
        owner=nurse_owner,
        due_date=timezone.localdate() + dt.timedelta(days=9),
        source=ActionSource.OTHER,
        actor=head_he,
    )
    other = _client(make_persona("card_head", "dept_head", paediatrics.hospital, departments=[cardiology]))
    assert other.get(reverse("performance:action_detail", args=[action.pk])).status_code == 404
    assert "缩短候诊" not in other.get(reverse("performance:action_list")).content.decode()


def test_the_list_exports_to_excel_with_formulas_neutralised(head_he, nurse_owner, paediatrics):
    action_create(
        department=paediatrics,
        title='=HYPERLINK("x")',
        owner=nurse_owner,
        due_date=timezone.localdate() + dt.timedelta(days=9),
        source=ActionSource.OTHER,
        actor=head_he,
    )
    response = _client(head_he).get(reverse("performance:action_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == '\'=HYPERLINK("x")'
    assert sheet["B2"].value == paediatrics.name


def test_an_outsider_is_refused(outsider):
    client = Client()
    client.force_login(outsider)
    assert client.get(reverse("performance:action_list")).status_code == 403


def test_a_forum_decision_becomes_an_action_and_leaves_the_list_of_open_decisions(
    hospital, head_he, nurse_owner, paediatrics
):
    """A family forum (座谈会) records two decisions; the department head raises an action from one of them
    through the meeting's page; the meeting then lists the action and only the other decision as open."""
    from carebridge.followup.choices import MeetingKind
    from carebridge.followup.services.ward_programme import meeting_record

    meeting = meeting_record(
        hospital=hospital, kind=MeetingKind.FAMILY_FORUM, held_on=timezone.localdate(), title="家属座谈会",
        chaired_by=nurse_owner, minutes="家属反映夜间噪音", decisions=["夜间病房降噪", "增加探视椅"],
        department=paediatrics, actor=None,
    )  # fmt: skip
    client = _client(head_he)
    page = client.get(reverse("followup:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'id="open-decisions"' in page and "增加探视椅" in page
    url = (
        f"{reverse('performance:action_new')}?source_model=followup.wardmeeting&source_id={meeting.pk}"
        f"&title=%E5%A4%9C%E9%97%B4%E7%97%85%E6%88%BF%E9%99%8D%E5%99%AA"
    )
    form = client.get(url).content.decode()
    assert 'value="夜间病房降噪"' in form
    response = client.post(
        url,
        {
            "title": "夜间病房降噪",
            "department": paediatrics.pk,
            "owner": nurse_owner.pk,
            "due_date": (timezone.localdate() + dt.timedelta(days=20)).isoformat(),
            "source": ActionSource.MEETING,
            "plan": "夜班巡视轻声细语",
            "measure": "satisfaction",
            "window_days": 30,
        },
    )
    assert response.status_code == 302
    action = ImprovementAction.objects.get()
    assert action.source_object == meeting and action.source == ActionSource.MEETING
    page = client.get(reverse("followup:meeting_detail", args=[meeting.pk])).content.decode()
    opened = page.split('id="open-decisions"')[1].split("</ul>")[0]
    assert "增加探视椅" in opened and "夜间病房降噪" not in opened
    assert reverse("performance:action_detail", args=[action.pk]) in page
