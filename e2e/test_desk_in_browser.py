"""The service desk in a real browser: an agent records an inquiry on the workspace (htmx, no reload), takes
a complaint, routes it to the responsible office, and the complaint officer resolves it."""

from __future__ import annotations

import re

import pytest

from carebridge.complaints.demo.loader import routing_install
from carebridge.complaints.models import Complaint
from carebridge.core.tests.factories import PASSWORD, DepartmentFactory, HospitalFactory, make_persona
from carebridge.frontdesk.models import Inquiry

# serialized_rollback: the regions and role groups created by data migrations survive each test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    cardiology = DepartmentFactory(hospital=hospital, code="CARD", name="心血管内科")
    offices = (("PREL", "医患关系办公室"), ("NURS", "护理部"), ("DISC", "纪检监察室"), ("FIN", "财务科"))
    for code, name in offices:
        DepartmentFactory(hospital=hospital, code=code, name=name, kind="administrative")
    routing_install(hospital=hospital)
    return {
        "agent": make_persona("ann", "agent", hospital),
        "officer": make_persona("li", "complaint_officer", hospital),
        "cardiology": cardiology,
    }


def _log_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # each role lands on its start page


def _record_an_inquiry(page, desk) -> None:
    """Quick inquiry on the workspace: the row appears in today's inquiries without a page load."""
    page.evaluate("window.__sameDocument = true")
    page.select_option("#quick-inquiry select[name=channel]", "phone")
    page.select_option("#quick-inquiry select[name=category]", "recommendation")
    page.fill("#quick-inquiry textarea[name=question]", "胸口闷痛好几天了，看哪个科？")
    page.fill("#quick-inquiry textarea[name=answer]", "请到心血管内科就诊")
    page.select_option("#quick-inquiry select[name=recommended_department]", str(desk["cardiology"].pk))
    page.locator("#quick-inquiry-submit").click()
    row = page.locator("#today-inquiries-body tr").first
    row.wait_for()
    assert "胸口闷痛" in row.inner_text() and "心血管内科" in row.inner_text()
    assert page.evaluate("window.__sameDocument") is True  # no reload
    assert page.locator("#quick-inquiry textarea[name=question]").input_value() == ""
    page.locator("#counter-inquiries-today", has_text="1").wait_for()
    inquiry = Inquiry.objects.get()
    assert inquiry.received_by == desk["agent"] and inquiry.recommended_department == desk["cardiology"]


def _take_and_route_a_complaint(page, live_server, desk) -> Complaint:
    """The agent takes a complaint (首诉负责制: she owns it) and routes it to the responsible office."""
    page.goto(live_server.url + "/desk/complaints/new/")
    page.fill("#id_complainant_name", "王先生")
    page.fill("#id_complainant_phone", "13812345678")
    page.fill("#id_content", "在心内科门诊排队等了三个小时，护士态度很冷漠")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/desk/complaints/\d+/$"))
    complaint = Complaint.objects.get()
    assert complaint.owner == desk["agent"] and complaint.status == "received"
    page.select_option("#transition-form select[name=to]", "routed")
    # Forms post and redirect to the same page: wait for that navigation, not the page already loaded.
    with page.expect_navigation():
        page.locator("#transition-form button[type=submit]").click()
    complaint.refresh_from_db()
    assert complaint.status == "routed" and complaint.responsible_office.code == "PREL"
    return complaint


def test_an_agent_records_an_inquiry_takes_and_routes_a_complaint_and_the_officer_resolves_it(
    live_server, page, desk
):
    _log_in(page, live_server, "ann")
    # The workspace is in the service-desk menu: open the menu, then follow the link.
    page.locator("nav li.dropdown", has=page.locator("a[href='/desk/']")).locator(".dropdown-toggle").click()
    page.locator("nav a[href='/desk/']").click()
    page.wait_for_url(live_server.url + "/desk/")
    _record_an_inquiry(page, desk)
    complaint = _take_and_route_a_complaint(page, live_server, desk)

    # The routed complaint is on the agent's workspace with its deadline.
    page.goto(live_server.url + "/desk/")
    assert complaint.reference in page.locator("#my-items").inner_text()
    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").click()

    # The complaint officer investigates and resolves it.
    _log_in(page, live_server, "li")
    page.goto(f"{live_server.url}/desk/complaints/{complaint.pk}/")
    page.select_option("#transition-form select[name=to]", "investigating")
    with page.expect_navigation():
        page.locator("#transition-form button[type=submit]").click()
    page.fill("form[action$='/notes/'] textarea[name=text]", "调阅排班记录，与护士长核实")
    page.locator("form[action$='/notes/'] button[type=submit]").click()
    page.locator("#notes", has_text="调阅排班记录").wait_for()
    page.select_option("#transition-form select[name=to]", "resolved")
    page.fill("#transition-form textarea[name=resolution]", "已向患者道歉，门诊增加分诊护士")
    with page.expect_navigation():
        page.locator("#transition-form button[type=submit]").click()
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.resolution == "已向患者道歉，门诊增加分诊护士"
    assert complaint.owner == desk["agent"]  # the first receiver still owns it
    assert list(complaint.transitions.values_list("to_status", flat=True)) == [
        "received",
        "routed",
        "investigating",
        "resolved",
    ]
