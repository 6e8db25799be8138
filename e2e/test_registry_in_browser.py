"""A first visit in a real browser: log in (Chinese), search, open a patient, switch to English."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from carebridge.core.tests.factories import PASSWORD, DepartmentFactory, HospitalFactory, make_persona
from carebridge.patients.models import PatientAccessLog
from carebridge.patients.tests.factories import (
    DiagnosisFactory,
    EncounterFactory,
    PatientFactory,
    PhoneFactory,
)

# serialized_rollback: the regions and role groups created by data migrations survive each test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def registry(db):
    hospital = HospitalFactory(name="连心桥示范医院")
    cardiology = DepartmentFactory(hospital=hospital, code="CARD", name="心血管内科")
    agent = make_persona("ann", "agent", hospital)
    patient = PatientFactory(
        hospital=hospital,
        name="欧阳娜娜",
        name_initials="oynn",
        sex="F",
        birth_date=dt.date(1980, 5, 17),
        national_id="",
    )
    PhoneFactory(patient=patient, number="13912345678")
    encounter = EncounterFactory(
        patient=patient,
        department=cardiology,
        kind="inpatient",
        started_at=timezone.now() - dt.timedelta(days=20),
        ended_at=timezone.now() - dt.timedelta(days=12),
    )
    DiagnosisFactory(encounter=encounter, code="I21.9", name="急性心肌梗死", category="I21")
    for index in range(5):
        PatientFactory(hospital=hospital, name=f"王{index}明", name_initials=f"w{index}m")
    return {"agent": agent, "patient": patient}


def test_an_agent_logs_in_in_chinese_searches_opens_a_patient_and_switches_to_english(
    live_server, page, registry
):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("button", name="登录").is_visible()

    page.fill("#id_username", "ann")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # each role lands on its start page

    page.goto(live_server.url + "/patients/")
    page.fill("#id_q", "欧阳")
    page.wait_for_url(re.compile(r".*q=.*"))
    rows = page.locator("#patient-table tbody tr")
    assert rows.count() == 1
    assert "139****5678" in rows.first.inner_text()
    assert "13912345678" not in page.content()

    rows.first.get_by_role("link", name="欧阳娜娜").click()
    page.wait_for_url(re.compile(r".*/patients/\d+/$"))
    assert "急性心肌梗死" in page.locator("#encounters").inner_text()
    assert page.locator("#timeline li").count() >= 2
    # One row per request that showed her: the search that found only her (a lookup of one person, issue
    # #19 item 4) and the record she was opened at.
    assert PatientAccessLog.objects.filter(patient=registry["patient"], user=registry["agent"]).count() == 2

    # The switch submits its form on change: wait for that navigation, not for the page already loaded.
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Encounters").is_visible()


def test_a_clinician_reveals_a_phone_number_and_the_reveal_is_logged(live_server, page, registry):
    hospital = registry["patient"].hospital
    make_persona("zhou", "clinician", hospital, departments=list(hospital.departments.all()))
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "zhou")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # each role lands on its start page
    page.goto(f"{live_server.url}/patients/{registry['patient'].pk}/")
    page.locator("#reveal-box summary").click()
    page.fill("#id_reason", "出院回访电话")
    page.locator("#reveal-button").click()
    page.locator("#revealed").wait_for()
    assert "13912345678" in page.locator("#revealed").inner_text()
    assert (
        PatientAccessLog.objects.filter(
            patient=registry["patient"], action="reveal", reason="出院回访电话"
        ).count()
        == 1
    )
