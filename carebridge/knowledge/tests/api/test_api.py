"""The knowledge API: ranked typed search, lists with schedules, writes through services, 400s, the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import HospitalFactory, make_persona
from carebridge.knowledge.models import Doctor, ExternalHospital

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/knowledge/search/"
DEPARTMENTS = "/api/v1/knowledge/departments/"
DOCTORS = "/api/v1/knowledge/doctors/"
EXTERNALS = "/api/v1/knowledge/external-hospitals/"
SERVICES = "/api/v1/knowledge/services/"
FAQ = "/api/v1/knowledge/faq/"


def test_search_returns_ranked_typed_results(dictionary, api_client, agent_ann):
    body = api_client(agent_ann).get(SEARCH, {"q": "腰椎管狭窄"}).json()
    departments = [r for r in body["results"] if r["kind"] == "department"]
    assert departments[0]["title"] == "骨科"
    assert {"推拿科", "中医科"} <= {r["title"] for r in departments if "non_surgical" in r["badges"]}
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)
    assert body["referral"] is None
    assert {"token": "腰椎管狭窄", "factor": 1.0, "source": "query"} in body["terms"]


def test_search_for_lithotripsy_returns_both_referral_lists(dictionary, api_client, agent_ann):
    body = api_client(agent_ann).get(SEARCH, {"q": "体外冲击波碎石"}).json()
    referral = body["referral"]
    assert referral["service"] == "体外冲击波碎石"
    assert [o["name"] for o in referral["nearest"]][:2] == ["金陵泌尿专科医院", "南京市第三人民医院"]
    assert referral["best_known"][0]["name"] == "钟山医科大学第一附属医院"
    assert referral["nearest"][0]["distance_km"] == pytest.approx(2.13, abs=0.1)
    assert referral["origin"]["region_code"] == "320106"


def test_search_from_given_coordinates(dictionary, api_client, agent_ann):
    # A patient living next to 钟山 (玄武区).
    body = api_client(agent_ann).get(SEARCH, {"q": "碎石", "lat": "32.09", "lng": "118.85"}).json()
    assert body["referral"]["nearest"][0]["name"] == "钟山医科大学第一附属医院"


@pytest.mark.parametrize(
    "params, field",
    [
        ({}, "q"),
        ({"q": "碎石", "region": "32"}, "region"),
        ({"q": "碎石", "lat": "32.1"}, "lng"),
        ({"q": "碎石", "lat": "132", "lng": "1"}, "lat"),
        ({"q": "碎石", "limit": "0"}, "limit"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_invalid_search_parameters_are_400_with_field_errors(
    dictionary, api_client, agent_ann, params, field
):
    response = api_client(agent_ann).get(SEARCH, params)
    assert response.status_code == 400
    assert field in response.json()


def test_search_needs_a_reader(dictionary, api_client, outsider):
    assert APIClient().get(SEARCH, {"q": "碎石"}).status_code == 401
    assert api_client(outsider).get(SEARCH, {"q": "碎石"}).status_code == 403


def test_doctors_are_listed_with_their_weekly_sessions(dictionary, api_client, clinician_zhou):
    body = api_client(clinician_zhou).get(DOCTORS).json()
    doctor = body["results"][0]
    assert doctor["name"] == "张建国" and doctor["department"] == "ORTH"
    assert [(s["weekday"], s["half_day"], s["clinic_type"]) for s in doctor["sessions"]] == [
        (1, "am", "expert"),
        (3, "full", "disease"),
    ]
    assert doctor["verified_days_ago"] == 0 and doctor["is_stale"] is False


def test_department_profiles_and_external_hospitals_are_listed_and_retrieved(
    dictionary, api_client, executive_zhao
):
    client = api_client(executive_zhao)
    departments = client.get(DEPARTMENTS).json()["results"]
    assert {d["department"] for d in departments} == {"ORTH", "TUINA", "TCM", "CARD", "UROL"}
    assert client.get(DEPARTMENTS, {"non_surgical_option": "true"}).json()["count"] == 2
    famous = client.get(f"{EXTERNALS}{dictionary.famous.pk}/").json()
    assert famous["services_offered"] == ["体外冲击波碎石", "肾移植"]
    assert famous["region_name"] == "江苏省南京市玄武区" and famous["level"] == "3A"


def test_an_agent_creates_and_updates_a_doctor_through_the_api(dictionary, api_client, agent_ann):
    client = api_client(agent_ann)
    created = client.post(
        DOCTORS,
        {
            "name": "陈针",
            "department": dictionary.tcm.pk,
            "title": "副主任医师",
            "specialties": "针灸治疗腰痛",
            "sessions": [{"weekday": 2, "half_day": "am", "clinic_type": "expert", "room": "中医诊区3"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    doctor_id = created.json()["id"]
    assert created.json()["sessions"][0]["room"] == "中医诊区3"
    updated = client.patch(f"{DOCTORS}{doctor_id}/", {"sessions": []}, format="json")
    assert updated.status_code == 200 and updated.json()["sessions"] == []
    assert AuditEvent.objects.filter(action="knowledge.doctor.update", object_id=str(doctor_id)).exists()
    found = client.get(SEARCH, {"q": "chenzhen"}).json()["results"]
    assert found[0]["title"] == "陈针"


def test_writes_with_bad_input_are_400_with_field_errors_never_500(dictionary, api_client, agent_ann):
    client = api_client(agent_ann)
    other_department = make_persona("x", "agent", HospitalFactory()).staff.hospital.departments.create(
        code="X", name="别院科室", kind="clinical"
    )
    cases = [
        (DOCTORS, {"name": "某", "department": other_department.pk}, "department"),
        (
            DOCTORS,
            {
                "name": "某",
                "department": dictionary.orth.pk,
                "sessions": [{"weekday": 1, "half_day": "am"}, {"weekday": 1, "half_day": "full"}],
            },
            "sessions",
        ),
        (
            DOCTORS,
            {"name": "某", "department": dictionary.orth.pk, "sessions": [{"weekday": 9, "half_day": "am"}]},
            "sessions",
        ),
        (EXTERNALS, {"name": "某院", "region": "999999"}, "region"),
        (EXTERNALS, {"name": "某院", "latitude": "32.1"}, "longitude"),
        (EXTERNALS, {"name": "某院", "reputation": 101}, "reputation"),
        (EXTERNALS, {"name": dictionary.famous.name}, "name"),
        (SERVICES, {"name": "推拿治疗"}, "name"),
        (SERVICES, {"name": "新服务", "approach": "magic"}, "approach"),
        (DEPARTMENTS, {"department": dictionary.orth.pk}, "department"),
        (DEPARTMENTS, {"department": "abc"}, "department"),
        (FAQ, {"question": "只有问题"}, "answer"),
    ]
    for url, payload, field in cases:
        response = client.post(url, payload, format="json")
        assert response.status_code == 400, (url, payload, response.content)
        assert field in response.json(), (url, payload, response.json())
    assert not ExternalHospital.objects.filter(name="某院").exists()
    assert not Doctor.objects.filter(name="某").exists()


def test_the_quality_officer_may_read_but_not_write(dictionary, api_client, quality_officer_qian):
    client = api_client(quality_officer_qian)
    assert client.get(SERVICES).status_code == 200
    assert client.post(FAQ, {"question": "问", "answer": "答"}, format="json").status_code == 403
    assert (
        client.patch(f"{SERVICES}{dictionary.eswl.pk}/", {"offered_here": True}, format="json").status_code
        == 403
    )
    assert client.post(f"{SERVICES}{dictionary.eswl.pk}/verify/").status_code == 403


def test_an_agent_marks_an_entry_verified(dictionary, api_client, agent_ann):
    response = api_client(agent_ann).post(f"{FAQ}{dictionary.parking.pk}/verify/")
    assert response.status_code == 200
    assert response.json()["verified_by"] == "ann"


def test_another_hospitals_entries_are_404(dictionary, api_client):
    stranger = make_persona("stranger", "agent", HospitalFactory())
    client = api_client(stranger)
    assert client.get(f"{EXTERNALS}{dictionary.famous.pk}/").status_code == 404
    assert client.patch(f"{SERVICES}{dictionary.eswl.pk}/", {"note": "x"}, format="json").status_code == 404
    assert client.get(DOCTORS).json()["count"] == 0


def test_the_schema_documents_every_endpoint_with_separate_inputs(api_client, admin_sun):
    schema = api_client(admin_sun).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (SEARCH, DEPARTMENTS, DOCTORS, EXTERNALS, SERVICES, FAQ):
        assert path in paths, path
    assert f"{DOCTORS}{{id}}/" in paths and f"{DOCTORS}{{id}}/verify/" in paths
    assert {p["name"] for p in paths[SEARCH]["get"]["parameters"]} >= {"q", "region", "lat", "lng", "limit"}
    body = paths[DOCTORS]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/DoctorInputRequest")
    response = paths[DOCTORS]["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert response.endswith("/DoctorOutput")
    search_response = paths[SEARCH]["get"]["responses"]["200"]["content"]["application/json"]["schema"][
        "$ref"
    ]
    assert search_response.endswith("/SearchResponse")
