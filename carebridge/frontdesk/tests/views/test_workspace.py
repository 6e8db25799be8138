"""The agent's workspace: my open items in deadline order, the counters, and the htmx quick inquiry entry."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from carebridge.complaints.services.transitions import complaint_route
from carebridge.complaints.tests.support.clock import at
from carebridge.core.tests.factories import StaffFactory
from carebridge.frontdesk.models import Handover, Inquiry
from carebridge.frontdesk.services.escorts import escort_assign
from carebridge.frontdesk.services.handover import handovers_open_due
from carebridge.frontdesk.tests.factories import EscortFactory, InquiryFactory

pytestmark = pytest.mark.django_db
NOW = at(2026, 3, 3, 9, 30)  # a Tuesday morning


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def my_items(hospital, agent_ann, complaint_officer_li, receive):
    with time_machine.travel(at(2026, 2, 24, 10), tick=False):
        mine_late = receive(agent_ann, content="护士态度差")  # owned; acknowledgement overdue
    with time_machine.travel(at(2026, 3, 2, 10), tick=False):
        routed = receive(complaint_officer_li, content="收费多收了")
        routed = complaint_route(complaint=routed, actor=agent_ann)  # I routed it; feedback due 9 Mar
        others = receive(complaint_officer_li, content="等候时间太长")  # not mine
    with time_machine.travel(at(2026, 3, 3, 8), tick=False):
        handovers_open_due()  # the night shift handed over at 08:00
    with time_machine.travel(NOW, tick=False):
        escort = EscortFactory(
            hospital=hospital, requested_by=agent_ann, scheduled_at=at(2026, 3, 3, 11), patient_name="王大爷"
        )
        escort = escort_assign(escort=escort, actor=agent_ann, staff=agent_ann.staff)
        EscortFactory(
            hospital=hospital,
            requested_by=agent_ann,
            assigned_to=StaffFactory(hospital=hospital),
            status="assigned",
            patient_name="别人的",
        )
    callback = InquiryFactory(
        hospital=hospital,
        received_by=agent_ann,
        received_at=at(2026, 3, 3, 8, 40),
        answer="",
        answered_at=None,
        answered_by=None,
        question="体检报告何时取？",
    )
    return {"late": mine_late, "routed": routed, "others": others, "escort": escort, "callback": callback}


def test_the_workspace_lists_my_open_items_soonest_deadline_first(agent_ann, my_items):
    with time_machine.travel(NOW, tick=False):
        response = _client(agent_ann).get("/desk/")
    assert response.status_code == 200
    kinds = [(item.kind, item.title) for item in response.context["items"]]
    dues = [item.due for item in response.context["items"]]
    assert dues == sorted(dues)
    assert [k for k, _ in kinds] == ["complaint", "handover", "escort", "inquiry", "complaint"]
    titles = " ".join(t for _, t in kinds)
    assert my_items["late"].reference in titles and my_items["routed"].reference in titles
    assert my_items["others"].reference not in titles and "别人的" not in titles
    assert response.context["items"][0].overdue
    html = response.content.decode()
    assert 'id="quick-inquiry"' in html and 'id="my-items"' in html
    assert response.context["counters"]["handovers_waiting"] == 1


def test_the_workspace_keeps_its_queries_bounded(agent_ann, my_items, django_assert_max_num_queries):
    client = _client(agent_ann)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(40):
        client.get("/desk/")


def test_quick_entry_with_htmx_returns_the_new_row_without_a_page(agent_ann, hospital, cardiology):
    response = _client(agent_ann).post(
        "/desk/inquiries/quick/",
        {
            "channel": "phone",
            "category": "recommendation",
            "question": "胸闷看哪个科？",
            "answer": "心内科门诊",
            "recommended_department": cardiology.pk,
        },
        HTTP_HX_REQUEST="true",
    )
    inquiry = Inquiry.objects.get()
    html = response.content.decode()
    assert response.status_code == 201 and response["HX-Trigger"] == "inquiry-recorded"
    assert html.lstrip().startswith(f'<tr id="inquiry-{inquiry.pk}"') and "<html" not in html
    assert "心血管内科" in html and inquiry.received_by == agent_ann and inquiry.is_answered


def test_quick_entry_errors_go_to_the_error_box_and_nothing_is_saved(agent_ann):
    response = _client(agent_ann).post(
        "/desk/inquiries/quick/",
        {"channel": "phone", "category": "fees", "question": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400 and response["HX-Retarget"] == "#quick-inquiry-errors"
    assert "This field is required." in response.content.decode()
    assert not Inquiry.objects.exists()


def test_quick_entry_without_htmx_falls_back_to_a_redirect(agent_ann):
    response = _client(agent_ann).post(
        "/desk/inquiries/quick/",
        {"channel": "walk_in", "category": "other", "question": "有轮椅借吗？", "answer": "一楼服务台"},
    )
    assert response.status_code == 302 and response.url == "/desk/"
    assert Inquiry.objects.count() == 1


def test_todays_inquiries_and_the_counters_refresh(agent_ann, hospital):
    with time_machine.travel(NOW, tick=False):
        InquiryFactory(hospital=hospital, received_by=agent_ann, question="今天的问题")
        InquiryFactory(
            hospital=hospital,
            received_by=agent_ann,
            question="昨天的问题",
            received_at=NOW - dt.timedelta(days=1),
        )
        client = _client(agent_ann)
        html = client.get("/desk/").content.decode()
        counters = client.get("/desk/workspace/counters/").content.decode()
    assert "今天的问题" in html and "昨天的问题" not in html
    assert 'id="counter-inquiries-today">1<' in counters


def test_who_reaches_the_workspace(executive_zhao, outsider, ward_manager_wang, hospital):
    assert _client(executive_zhao).get("/desk/").url == "/desk/complaints/statistics/"
    assert _client(outsider).get("/desk/").status_code == 403
    assert _client(ward_manager_wang).get("/desk/").status_code == 200  # escorts and complaints of the ward
    assert not Handover.objects.exists()


def test_the_navbar_links_the_workspace_for_the_desk(agent_ann, executive_zhao):
    assert 'href="/desk/"' in _client(agent_ann).get("/desk/inquiries/").content.decode()
    assert 'href="/desk/"' not in _client(executive_zhao).get("/desk/inquiries/statistics/").content.decode()
