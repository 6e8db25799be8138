"""Inquiries and triage: entry through the service and the pages, scope of the patient link, call-back
answers, and the statistics (counts and response-time medians by category, channel and hour)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client

from carebridge.complaints.tests.support.clock import at
from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, StaffFactory, make_persona
from carebridge.frontdesk.models import Inquiry
from carebridge.frontdesk.selectors.inquiries import inquiry_list, inquiry_statistics
from carebridge.frontdesk.services.inquiries import InquiryInput, inquiry_answer, inquiry_record
from carebridge.frontdesk.tests.factories import InquiryFactory
from carebridge.knowledge.models import ExternalHospital
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@time_machine.travel(at(2026, 3, 2, 9, 30), tick=False)
def test_an_answered_inquiry_records_its_response_time_and_an_audit_row(hospital, agent_ann, cardiology):
    inquiry = inquiry_record(
        hospital=hospital,
        actor=agent_ann,
        data=InquiryInput(
            channel="phone",
            category="recommendation",
            question="胸口闷痛看哪个科？",
            answer="心内科",
            recommended_department=cardiology,
            received_at=at(2026, 3, 2, 9, 26),
        ),
    )
    assert inquiry.answered_at == at(2026, 3, 2, 9, 30) and inquiry.answered_by == agent_ann
    assert inquiry.response_time == dt.timedelta(minutes=4)
    assert AuditEvent.objects.filter(action="inquiry.record", object_id=str(inquiry.pk)).count() == 1


def test_a_question_without_answer_stays_open_until_the_call_back(hospital, agent_ann):
    inquiry = inquiry_record(
        hospital=hospital,
        actor=agent_ann,
        data=InquiryInput(channel="online", category="records", question="病历怎么复印？"),
    )
    assert inquiry.answered_at is None and not inquiry.is_answered
    answered = inquiry_answer(inquiry=inquiry, actor=agent_ann, answer="出院7个工作日后到病案室。")
    assert answered.is_answered and answered.answered_by == agent_ann
    with pytest.raises(ValidationError) as refused:
        inquiry_answer(inquiry=answered, actor=agent_ann, answer="again")
    assert "already answered" in str(refused.value)


def test_it_refuses_bad_input_with_every_field_and_writes_nothing(hospital, agent_ann):
    other = HospitalFactory()
    foreign_department = DepartmentFactory(hospital=other)
    foreign_doctor = StaffFactory(hospital=other)
    foreign_referral = ExternalHospital.objects.create(hospital=other, name="外院")
    with pytest.raises(ValidationError) as refused:
        inquiry_record(
            hospital=hospital,
            actor=agent_ann,
            data=InquiryInput(
                channel="fax",
                category="nonsense",
                question="  ",
                recommended_department=foreign_department,
                recommended_doctor=foreign_doctor,
                referred_hospital=foreign_referral,
            ),
        )
    assert set(refused.value.message_dict) == {
        "channel",
        "category",
        "question",
        "recommended_department",
        "recommended_doctor",
        "referred_hospital",
    }
    assert not Inquiry.objects.exists()


def test_it_rejects_a_patient_outside_the_receivers_scope(hospital, ward_manager_wang, cardiology):
    seen_in_cardiology = PatientFactory(hospital=hospital)
    EncounterFactory(patient=seen_in_cardiology, department=cardiology)
    with pytest.raises(ValidationError) as refused:
        inquiry_record(
            hospital=hospital,
            actor=ward_manager_wang,
            data=InquiryInput(channel="walk_in", category="other", question="?", patient=seen_in_cardiology),
        )
    assert "patient" in refused.value.message_dict


def test_a_referral_to_an_external_hospital_of_the_dictionary(hospital, agent_ann):
    lithotripsy = ExternalHospital.objects.create(
        hospital=hospital, name="市第一人民医院", services_offered="体外冲击波碎石"
    )
    inquiry = inquiry_record(
        hospital=hospital,
        actor=agent_ann,
        data=InquiryInput(
            channel="walk_in",
            category="recommendation",
            question="肾结石想碎石",
            answer="本院暂无碎石设备，介绍外院",
            referred_hospital=lithotripsy,
        ),
    )
    assert inquiry.referred_hospital == lithotripsy


def test_department_roles_see_only_what_concerns_their_departments(
    hospital, agent_ann, paediatrics, cardiology
):
    # A department-scoped user given the read permission sees the inquiries recommending their departments.
    head = make_persona("head", "dept_head", hospital, departments=[paediatrics])
    head.user_permissions.add(Permission.objects.get(codename="view_inquiry"))
    mine = InquiryFactory(hospital=hospital, received_by=agent_ann, recommended_department=paediatrics)
    InquiryFactory(hospital=hospital, received_by=agent_ann, recommended_department=cardiology)
    head = type(head).objects.get(pk=head.pk)
    assert list(inquiry_list(user=head)) == [mine]
    assert inquiry_list(user=agent_ann).count() == Inquiry.objects.count() == 2


# --- statistics -----------------------------------------------------------------------------------


def _make(hospital, user, *, channel, category, hour, minutes):
    received = at(2026, 3, 3, hour, 5)
    InquiryFactory(
        hospital=hospital,
        received_by=user,
        channel=channel,
        category=category,
        received_at=received,
        answered_at=None if minutes is None else received + dt.timedelta(minutes=minutes),
        answered_by=None if minutes is None else user,
    )


def test_statistics_count_and_take_the_median_response_time_by_category_channel_and_hour(hospital, agent_ann):
    # registration: 1, 3, 8 minutes (median 3); directions: 2, 4, 10, 20 minutes (median 7) and one open.
    for minutes, hour, channel in ((1, 8, "walk_in"), (3, 8, "phone"), (8, 9, "walk_in")):
        _make(hospital, agent_ann, channel=channel, category="registration", hour=hour, minutes=minutes)
    for minutes, hour, channel in (
        (2, 9, "walk_in"),
        (4, 9, "walk_in"),
        (10, 14, "online"),
        (20, 14, "online"),
        (None, 22, "online"),
    ):
        _make(hospital, agent_ann, channel=channel, category="directions", hour=hour, minutes=minutes)
    stats = inquiry_statistics(queryset=Inquiry.objects.all(), zone="Asia/Shanghai")
    category = {row.key: row for row in stats["category"]}
    assert (category["registration"].count, category["registration"].median_seconds) == (3, 180)
    assert (category["directions"].count, category["directions"].answered) == (5, 4)
    assert category["directions"].median_seconds == 420  # (4 + 10) / 2 minutes
    assert category["fees"].count == 0 and category["fees"].median_seconds is None
    channel = {row.key: row for row in stats["channel"]}
    assert (channel["walk_in"].count, channel["walk_in"].median_seconds) == (4, 180)  # 1, 2, 4, 8 → 3
    assert (channel["online"].count, channel["online"].median_seconds) == (3, 900)  # 10, 20 → 15
    hour = {row.key: row for row in stats["hour"]}
    assert [hour[h].count for h in ("08", "09", "14", "22")] == [2, 3, 2, 1]
    assert hour["09"].median_seconds == 240  # 8, 2, 4 → 4 minutes (hospital time, not UTC)
    assert hour["22"].median_seconds is None
    assert stats["total"][0].count == 8 and stats["total"][0].median_seconds == 240  # 1 2 3 4 8 10 20 → 4


def test_the_90th_percentile_follows_the_inclusive_definition(hospital, agent_ann):
    for minutes in range(1, 11):  # 1..10 minutes: P90 (inclusive, as numpy's linear default) = 9.1 min
        _make(hospital, agent_ann, channel="phone", category="fees", hour=10, minutes=minutes)
    row = {r.key: r for r in inquiry_statistics(queryset=Inquiry.objects.all())["category"]}["fees"]
    assert row.p90_seconds == pytest.approx(546.0)
    assert row.median_seconds == pytest.approx(330.0)


def test_the_statistics_page_renders_the_charts_and_tables(hospital, agent_ann, executive_zhao):
    _make(hospital, agent_ann, channel="phone", category="fees", hour=10, minutes=3)
    page = _client(executive_zhao).get("/desk/inquiries/statistics/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="by-hour"' in html and "echarts.min.js" in html and "Fees and medical insurance" in html
    assert _client(executive_zhao).get("/desk/inquiries/").status_code == 403  # leaders: aggregates only


def test_the_list_filters_and_the_full_form_records(agent_ann, hospital):
    InquiryFactory(hospital=hospital, received_by=agent_ann, category="fees", question="医保异地结算？")
    InquiryFactory(hospital=hospital, received_by=agent_ann, category="tests", question="胃镜空腹？")
    client = _client(agent_ann)
    html = client.get("/desk/inquiries/?category=fees").content.decode()
    assert "医保异地结算" in html and "胃镜空腹" not in html
    response = client.post(
        "/desk/inquiries/new/",
        {
            "channel": "phone",
            "category": "inpatient",
            "question": "办住院要带什么？",
            "answer": "身份证和医保卡",
        },
    )
    inquiry = Inquiry.objects.get(category="inpatient")
    assert response.status_code == 302 and response.url == f"/desk/inquiries/{inquiry.pk}/"
    bad = client.post("/desk/inquiries/new/", {"channel": "phone", "category": "inpatient", "question": ""})
    assert bad.status_code == 400


def test_the_call_back_is_answered_on_the_inquiry_page(agent_ann, hospital):
    inquiry = InquiryFactory(
        hospital=hospital, received_by=agent_ann, answer="", answered_at=None, answered_by=None
    )
    response = _client(agent_ann).post(f"/desk/inquiries/{inquiry.pk}/", {"answer": "已回电告知"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.answer == "已回电告知" and inquiry.answered_by == agent_ann
