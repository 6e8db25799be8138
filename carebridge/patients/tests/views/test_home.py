"""The root URL sends each role to where its work starts; the registry's home shows only the cards the user
may use, and the whole-hospital data-quality panel only to users who see the whole hospital."""

from __future__ import annotations

import pytest

from carebridge.core.tests.factories import make_persona
from carebridge.patients.services.quality import registry_quality_check

pytestmark = pytest.mark.django_db

STARTS = {
    "agent": "/desk/",
    "ward_manager": "/followup/kpis/",
    "clinician": "/followup/",
    "quality_officer": "/surveys/",
    "executive": "/reports/cockpit/",  # the leadership cockpit (issue #15)
    "complaint_officer": "/desk/complaints/",
    "dept_head": "/insights/report/",
    "checkup_staff": "/checkup/",
    "guide_nurse": "/checkup/board/",
    "chief_examiner": "/checkup/review/",
}


@pytest.mark.parametrize(("role", "start"), sorted(STARTS.items()))
def test_each_role_starts_on_its_work(client, hospital, cardiology, role, start):
    user = make_persona(f"user-{role}", role, hospital, departments=[cardiology])
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == start


def test_a_role_without_a_start_page_sees_the_registry_home(client, admin_sun):
    client.force_login(admin_sun)
    response = client.get("/")
    assert response.status_code == 200 and response.templates[0].name == "patients/home.html"


def test_a_single_department_user_sees_no_whole_hospital_panel(client, hospital, ward_manager_wang):
    registry_quality_check(hospital=hospital)
    client.force_login(ward_manager_wang)
    page = client.get("/patients/overview/")
    assert page.status_code == 200 and page.context["quality_report"] is None
    assert "monthly-chart" in page.content.decode()  # the ward manager may read registry statistics
    assert page.context["show_quality"] is False


def test_a_user_without_statistics_sees_no_encounter_chart(client, clinician_zhou):
    client.force_login(clinician_zhou)
    page = client.get("/patients/overview/").content.decode()
    assert "monthly-chart" not in page and "echarts" not in page


def test_a_whole_hospital_user_sees_the_data_quality_panel(client, hospital, agent_ann):
    report = registry_quality_check(hospital=hospital)
    client.force_login(agent_ann)
    page = client.get("/patients/overview/")
    assert page.context["quality_report"].pk == report.pk


def test_the_patient_picker_finds_patients_of_the_scope_only_and_shows_no_identifier(
    client, hospital, cardiology, paediatrics, clinician_zhou
):
    from carebridge.patients.tests.factories import EncounterFactory, PatientFactory

    inside = PatientFactory(hospital=hospital, name="欧阳明", name_initials="oym")
    outside = PatientFactory(hospital=hospital, name="欧阳亮", name_initials="oyl")
    EncounterFactory(patient=inside, department=cardiology)
    EncounterFactory(patient=outside, department=paediatrics)
    client.force_login(clinician_zhou)
    found = client.get("/patients/pick/", {"q": "oy"}).json()["results"]
    assert [row["id"] for row in found] == [inside.pk]
    assert inside.national_id not in found[0]["label"] and inside.mrn in found[0]["label"]
    assert client.get("/patients/pick/", {"q": ""}).json() == {"results": []}
