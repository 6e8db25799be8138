"""Recording the ward programme's routines on a page: the project manager records the day's sync (who
attended, the issues and their owners) for one of their departments; the quality office records a meeting
whose decisions each offer an improvement action on its page. Bad input changes nothing and answers 400;
a role without the permission gets 403; the list pages link to the forms only for those allowed."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from carebridge.core.tests.factories import StaffFactory
from carebridge.followup.choices import MeetingKind
from carebridge.followup.models import WardMeeting, WardSync
from carebridge.followup.tests.factories import at

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 3)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(at(2026, 3, 3, 17), tick=False):
        yield


@pytest.fixture
def doctor(hospital, paediatrics):
    return StaffFactory(hospital=hospital, name="李医生", kind="doctor", home_department=paediatrics)


def _zh(message):
    """A message as the zh-hans page shows it (the pages speak the user's language, Chinese here)."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


def _issues(*rows):
    data = {"issues-TOTAL_FORMS": "4", "issues-INITIAL_FORMS": "0", "issues-MAX_NUM_FORMS": "20"}
    for n, (text, owner) in enumerate(rows):
        data[f"issues-{n}-text"] = text
        data[f"issues-{n}-owner"] = owner.pk if owner else ""
    return data


def _sync_post(department, manager, attendees, *, held_on=TODAY, issues=()):
    return {
        "department": department.pk,
        "held_on": held_on.isoformat(),
        "project_manager": manager.pk,
        "attendees": [p.pk for p in attendees],
        "notes": "",
        **_issues(*issues),
    }


def test_the_project_manager_records_the_days_sync_with_its_issues_and_owners(
    client, ward_manager_wang, paediatrics, doctor
):
    client.force_login(ward_manager_wang)
    listing = client.get(reverse("followup:sync_list"))
    assert b'id="sync-new"' in listing.content
    form = client.get(reverse("followup:sync_new"))
    assert form.status_code == 200 and b'id="sync-form"' in form.content
    # The attendees are picked by typing (the staff of a hospital run to hundreds), not scrolled for.
    page = form.content.decode()
    assert 'name="attendees"' in page and 'data-picker="multi"' in page
    assert "tom-select.complete.min.js" in page
    staff = ward_manager_wang.staff
    response = client.post(
        reverse("followup:sync_new"),
        _sync_post(paediatrics, staff, [staff, doctor], issues=[("夜间噪音影响休息", doctor), ("", None)]),
    )
    sync = WardSync.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "followup:sync_detail", args=[sync.pk]
    )
    assert sync.issues == [{"text": "夜间噪音影响休息", "owner": doctor.pk, "resolved": False}]
    assert set(sync.attendees.all()) == {staff, doctor}
    page = client.get(reverse("followup:sync_detail", args=[sync.pk])).content.decode()
    assert "夜间噪音影响休息 → 李医生" in page


def test_a_refused_sync_changes_nothing_and_shows_why(client, ward_manager_wang, paediatrics, cardiology):
    client.force_login(ward_manager_wang)
    staff = ward_manager_wang.staff
    outside = client.post(reverse("followup:sync_new"), _sync_post(cardiology, staff, [staff]))
    assert outside.status_code == 400 and b"department" in outside.content
    future = client.post(
        reverse("followup:sync_new"), _sync_post(paediatrics, staff, [staff], held_on=TODAY + dt.timedelta(1))
    )
    assert future.status_code == 400 and _zh("The date is in the future.") in future.content.decode()
    owner_only = client.post(
        reverse("followup:sync_new"), {**_sync_post(paediatrics, staff, [staff]), "issues-0-owner": staff.pk}
    )
    assert (
        owner_only.status_code == 400
        and _zh("Write the issue, or clear its owner.") in owner_only.content.decode()
    )
    assert not WardSync.objects.exists()


def test_roles_without_the_permission_are_refused_and_see_no_link(
    client, clinician_zhou, quality_officer_qian
):
    client.force_login(clinician_zhou)
    assert client.get(reverse("followup:sync_new")).status_code == 403
    assert client.get(reverse("followup:meeting_new")).status_code == 403
    client.force_login(quality_officer_qian)
    assert client.get(reverse("followup:sync_new")).status_code == 403
    assert b'id="sync-new"' not in client.get(reverse("followup:sync_list")).content
    assert b'id="meeting-new"' in client.get(reverse("followup:meeting_list")).content


def test_a_forum_is_recorded_and_each_decision_offers_an_improvement_action(
    client, quality_officer_qian, paediatrics
):
    client.force_login(quality_officer_qian)
    post = {
        "kind": MeetingKind.FAMILY_FORUM,
        "title": "儿科家属座谈会",
        "held_on": "2026-03-02",
        "department": paediatrics.pk,
        "chaired_by": quality_officer_qian.staff.pk,
        "attendance": "18",
        "minutes": "家属反映探视时间过短",
        "decisions": "延长周末探视时间\n\n统一出院宣教材料",
    }
    refused = client.post(reverse("followup:meeting_new"), {**post, "minutes": "", "attendance": "-1"})
    assert refused.status_code == 400 and not WardMeeting.objects.exists()
    response = client.post(reverse("followup:meeting_new"), post)
    meeting = WardMeeting.objects.get()
    assert response.status_code == 302
    assert meeting.decisions == ["延长周末探视时间", "统一出院宣教材料"] and meeting.attendance == 18
    page = client.get(reverse("followup:meeting_detail", args=[meeting.pk])).content.decode()
    assert 'id="open-decisions"' in page and page.count("title=%E5%BB%B6%E9%95%BF") == 1


@pytest.fixture
def cardiology_meeting(hospital, cardiology, quality_officer_qian):
    from carebridge.followup.services.ward_programme import meeting_record

    return meeting_record(
        hospital=hospital,
        kind=MeetingKind.PM_MEETING,
        held_on=TODAY,
        title="心内科项目经理例会",
        chaired_by=quality_officer_qian.staff,
        minutes="待整理",
        decisions=["统一出院宣教材料"],
        department=cardiology,
        actor=None,
    )


def test_a_meeting_record_is_corrected_by_those_whose_scope_holds_it(
    client, quality_officer_qian, ward_manager_wang, clinician_zhou, cardiology_meeting
):
    meeting = cardiology_meeting
    url = reverse("followup:meeting_edit", args=[meeting.pk])
    client.force_login(quality_officer_qian)
    page = client.get(reverse("followup:meeting_detail", args=[meeting.pk]))
    assert b'id="meeting-edit"' in page.content
    form = client.get(url)
    assert form.status_code == 200 and "统一出院宣教材料" in form.content.decode()
    post = {
        "kind": MeetingKind.PM_MEETING,
        "title": "心内科项目经理例会",
        "held_on": TODAY.isoformat(),
        "department": meeting.department_id,
        "chaired_by": quality_officer_qian.staff.pk,
        "attendance": "9",
        "minutes": "回访率下降的原因：电话号码错误",
        "decisions": "统一出院宣教材料\n入院时核对联系电话",
    }
    refused = client.post(url, {**post, "minutes": " "})
    meeting.refresh_from_db()
    assert refused.status_code == 400 and meeting.minutes == "待整理"
    assert client.post(url, post).status_code == 302
    meeting.refresh_from_db()
    assert meeting.decisions == ["统一出院宣教材料", "入院时核对联系电话"] and meeting.attendance == 9

    client.force_login(ward_manager_wang)  # may correct meetings, but of paediatrics only
    assert client.get(url).status_code == 403
    client.force_login(clinician_zhou)
    assert client.get(url).status_code == 403
