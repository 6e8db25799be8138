"""Complaint pages: intake with the suggestion, the case page and its forms, the overdue queue, statistics,
the patient timeline, and the scope (department roles see their departments' cases; leaders aggregates)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from carebridge.complaints.choices import ComplaintStatus
from carebridge.complaints.models import Complaint
from carebridge.complaints.selectors.statistics import compliments_by_department, compliments_by_staff
from carebridge.complaints.tests.support.clock import at
from carebridge.core.timeline import timeline_for
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assertions read the source language
    return client


def test_an_agent_records_a_complaint_on_the_page_and_owns_it(agent_ann, offices, cardiology):
    response = _client(agent_ann).post(
        "/desk/complaints/new/",
        {
            "kind": "complaint",
            "channel": "walk_in",
            "complainant_name": "赵先生",
            "complainant_phone": "13812345678",
            "complainant_class": "family",
            "content": "在心内科排队等了三个小时",
            "category": "",
            "severity": "2",
            "departments": [cardiology.pk],
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == f"/desk/complaints/{complaint.pk}/"
    assert complaint.owner == agent_ann and complaint.category == "waiting"


def test_the_intake_page_refuses_bad_input_and_keeps_the_form(agent_ann, offices):
    response = _client(agent_ann).post(
        "/desk/complaints/new/",
        {
            "kind": "complaint",
            "channel": "walk_in",
            "complainant_class": "family",
            "content": "态度差",
            "severity": "1",
            "patient_mrn": "NOPE",
        },
    )
    assert response.status_code == 400
    assert "No patient with this MRN in your scope." in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_intake_form_takes_the_patient_from_the_picker_and_has_searchable_pickers(
    agent_ann, offices, hospital, cardiology
):
    patient = PatientFactory(hospital=hospital, name="欧阳明")
    EncounterFactory(patient=patient, department=cardiology)
    client = _client(agent_ann)
    page = client.get("/desk/complaints/new/", {"patient_mrn": patient.mrn}).content.decode()
    assert 'data-picker="patient"' in page and 'data-url="/patients/pick/"' in page
    assert page.count('data-picker="multi"') == 2 and "tom-select.complete.min.js" in page
    assert (
        f'<option value="{patient.pk}" selected>欧阳明' in page
    )  # an MRN handed over preselects the patient
    response = client.post(
        "/desk/complaints/new/",
        {
            "kind": "complaint",
            "channel": "walk_in",
            "complainant_class": "patient",
            "content": "检查结果迟迟拿不到",
            "severity": "1",
            "patient": str(patient.pk),
        },
    )
    assert response.status_code == 302
    assert Complaint.objects.get().patient == patient


def test_the_intake_form_refuses_a_patient_outside_the_scope(
    ward_manager_wang, offices, hospital, cardiology
):
    patient = PatientFactory(hospital=hospital)
    EncounterFactory(patient=patient, department=cardiology)
    response = _client(ward_manager_wang).post(
        "/desk/complaints/new/",
        {
            "kind": "complaint",
            "channel": "walk_in",
            "complainant_class": "patient",
            "content": "态度差",
            "severity": "1",
            "patient": str(patient.pk),
        },
    )
    assert response.status_code == 400 and "This patient is not in your scope." in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_suggestion_fragment_shows_the_category_and_why(agent_ann):
    response = _client(agent_ann).post(
        "/desk/complaints/suggest/", {"content": "护士态度冷漠"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Service attitude" in html and "冷漠" in html


def test_the_case_page_shows_every_deadline_and_refuses_an_illegal_transition(
    receive, agent_ann, complaint_officer_li
):
    complaint = receive(agent_ann)
    client = _client(complaint_officer_li)
    page = client.get(f"/desk/complaints/{complaint.pk}/").content.decode()
    assert "Acknowledgement" in page and "Feedback to the complainant" in page and "138****5678" in page
    response = client.post(
        f"/desk/complaints/{complaint.pk}/transition/", {"to": "resolved", "resolution": ""}
    )
    assert response.status_code == 400
    assert "Write the resolution before resolving the case." in response.content.decode()
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.RECEIVED
    routed = client.post(f"/desk/complaints/{complaint.pk}/transition/", {"to": "routed"})
    assert routed.status_code == 302
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.ROUTED


def test_case_work_forms_write_through_the_services(receive, agent_ann, complaint_officer_li):
    complaint = receive(agent_ann)
    client = _client(complaint_officer_li)
    base = f"/desk/complaints/{complaint.pk}"
    assert client.post(f"{base}/notes/", {"text": "调阅监控"}).status_code == 302
    assert (
        client.post(
            f"{base}/recovery/", {"kind": "apology_visit", "description": "登门致歉", "cost": "0"}
        ).status_code
        == 302
    )
    assert client.post(f"{base}/classify/", {"category": "nursing", "severity": "3"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.notes.count() == 1 and complaint.recovery_actions.count() == 1
    assert complaint.category == "nursing" and complaint.severity == 3


def test_a_ward_manager_sees_only_complaints_involving_his_departments(
    receive, agent_ann, ward_manager_wang, cardiology, paediatrics
):
    heart = receive(agent_ann, departments=[cardiology])
    child = receive(agent_ann, departments=[paediatrics])
    client = _client(ward_manager_wang)
    assert client.get(f"/desk/complaints/{heart.pk}/").status_code == 404
    assert client.get(f"/desk/complaints/{child.pk}/").status_code == 200
    listing = client.get("/desk/complaints/").content.decode()
    assert child.reference in listing and heart.reference not in listing


def test_a_complaint_routed_to_an_office_is_seen_by_that_office(receive, agent_ann, hospital, offices):
    from carebridge.complaints.services.transitions import complaint_route
    from carebridge.core.tests.factories import make_persona

    nursing_head = make_persona("nurse-head", "dept_head", hospital, departments=[offices.nurs])
    complaint = receive(agent_ann, category="nursing")
    assert _client(nursing_head).get(f"/desk/complaints/{complaint.pk}/").status_code == 404
    complaint_route(complaint=complaint, actor=agent_ann)
    assert _client(nursing_head).get(f"/desk/complaints/{complaint.pk}/").status_code == 200


def test_an_executive_sees_statistics_but_no_case(receive, agent_ann, executive_zhao, cardiology):
    complaint = receive(agent_ann, departments=[cardiology])
    client = _client(executive_zhao)
    assert client.get(f"/desk/complaints/{complaint.pk}/").status_code == 403
    assert client.get("/desk/complaints/").status_code == 403
    page = client.get("/desk/complaints/statistics/")
    assert page.status_code == 200
    assert "心血管内科" in page.content.decode() and "王先生" not in page.content.decode()


def test_the_statistics_count_by_category_department_severity_and_month(
    receive, agent_ann, complaint_officer_li, cardiology
):
    from carebridge.complaints.selectors.statistics import complaint_statistics, statistics_base

    with time_machine.travel(at(2025, 10, 15), tick=False):
        receive(agent_ann, content="排队太久", departments=[cardiology], severity=3)
    with time_machine.travel(at(2025, 11, 3), tick=False):
        receive(agent_ann, content="收费错了", departments=[cardiology])
        stats = complaint_statistics(queryset=statistics_base(user=complaint_officer_li))
    counts = {key: {row.key: row.count for row in rows if row.count} for key, rows in stats.items()}
    assert counts["category"] == {"waiting": 1, "fees": 1}
    assert counts["department"] == {str(cardiology.pk): 2}
    assert counts["severity"] == {"1": 1, "3": 1}
    assert counts["month"] == {"2025-10": 1, "2025-11": 1}
    assert counts["domain"] == {"management": 2}


def test_compliments_are_credited_to_the_staff_and_departments_named(
    receive, agent_ann, hospital, cardiology
):
    from carebridge.core.tests.factories import StaffFactory

    nurse = StaffFactory(hospital=hospital, name="刘护士", home_department=cardiology)
    doctor = StaffFactory(hospital=hospital, name="陈医生", home_department=cardiology)
    with time_machine.travel(at(2025, 11, 3), tick=False):
        receive(agent_ann, kind="compliment", content="刘护士很耐心", staff=[nurse], departments=[cardiology])
        receive(agent_ann, kind="compliment", content="感谢刘护士陈医生", staff=[nurse, doctor])
        receive(agent_ann, kind="complaint", content="陈医生态度差", staff=[doctor])
    period = {"hospital": hospital, "start": dt.date(2025, 11, 1), "end": dt.date(2025, 11, 30)}
    assert [(r["staff_name"], r["compliments"]) for r in compliments_by_staff(**period)] == [
        ("刘护士", 2),
        ("陈医生", 1),
    ]
    assert [(r["department_name"], r["compliments"]) for r in compliments_by_department(**period)] == [
        ("心血管内科", 1)
    ]
    assert (
        compliments_by_staff(hospital=hospital, start=dt.date(2025, 12, 1), end=dt.date(2025, 12, 31)) == []
    )


def test_the_patient_timeline_shows_complaints_in_scope(
    receive, agent_ann, ward_manager_wang, hospital, cardiology
):
    patient = PatientFactory(hospital=hospital)
    EncounterFactory(patient=patient, department=cardiology)
    complaint = receive(agent_ann, patient=patient, complainant_name="", departments=[cardiology])
    titles = [entry.title for entry in timeline_for(patient, agent_ann)]
    assert any(complaint.reference in title for title in titles)
    assert not any(complaint.reference in entry.title for entry in timeline_for(patient, ward_manager_wang))


def test_the_overdue_queue_and_statistics_pages_render(receive, agent_ann, complaint_officer_li):
    with time_machine.travel(at(2025, 11, 3), tick=False):
        late = receive(agent_ann)
    with time_machine.travel(at(2025, 11, 20), tick=False):
        client = _client(complaint_officer_li)
        assert late.reference in client.get("/desk/complaints/overdue/").content.decode()
        assert client.get("/desk/complaints/?overdue=true").content.decode().count(late.reference) == 1
        assert client.get("/desk/complaints/statistics/").status_code == 200


def test_the_list_page_has_a_bounded_number_of_queries(
    receive, agent_ann, complaint_officer_li, cardiology, django_assert_max_num_queries
):
    for _ in range(10):
        receive(agent_ann, departments=[cardiology])
    client = _client(complaint_officer_li)
    client.get("/desk/complaints/")
    with django_assert_max_num_queries(20):
        client.get("/desk/complaints/")
