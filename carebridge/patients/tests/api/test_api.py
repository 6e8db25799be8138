"""The registry API: token auth, pagination and filters, 400s with field errors (never 500), scope."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from carebridge.core.masking import mask_national_id
from carebridge.core.models import AuditEvent
from carebridge.core.tests.factories import DepartmentFactory, WardFactory, make_persona
from carebridge.patients.choices import AccessAction, AccessChannel
from carebridge.patients.models import Diagnosis, Encounter, Patient, PatientAccessLog
from carebridge.patients.tests.factories import (
    EncounterFactory,
    PatientFactory,
    PhoneFactory,
    valid_national_id,
)

pytestmark = pytest.mark.django_db

PATIENTS = "/api/v1/patients/"
ENCOUNTERS = "/api/v1/encounters/"
DEPARTMENTS = "/api/v1/departments/"
BIRTH = dt.date(1971, 10, 1)
MALE_ID = valid_national_id(BIRTH, sequence=17)


def _patient_payload(**overrides):
    payload = {
        "mrn": "API0001",
        "name": "周杰",
        "sex": "M",
        "national_id": MALE_ID,
        "region": "320106",
        "address": "秦淮区",
        "phones": [{"number": "13812345678"}, {"number": "13900001111", "kind": "family", "label": "女儿"}],
        "tags": ["慢病"],
        "contact_consent": True,
        "survey_consent": True,
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def checkup_wang(hospital, paediatrics):
    """A checkup nurse scoped to paediatrics: may add encounters, but only there."""
    return make_persona("checkup", "checkup_staff", hospital, departments=[paediatrics])


# --- authentication ---------------------------------------------------------------------------------


def test_unauthenticated_requests_are_refused(registry):
    client = APIClient()
    for url in (PATIENTS, f"{PATIENTS}{registry.child.pk}/", ENCOUNTERS, DEPARTMENTS):
        assert client.get(url).status_code == 401
    assert client.post(PATIENTS, _patient_payload(), format="json").status_code == 401
    assert not Patient.objects.filter(mrn="API0001").exists()


def test_a_bad_token_is_refused(registry):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    assert client.get(PATIENTS).status_code == 401


def test_a_token_from_the_token_endpoint_works_with_the_token_header(registry, agent_ann):
    from carebridge.core.tests.factories import PASSWORD

    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"username": "ann", "password": PASSWORD}, format="json")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get(PATIENTS).json()["count"] == 3


# --- pagination and filters -------------------------------------------------------------------------


def test_the_patient_list_is_paginated(api_client, hospital, agent_ann):
    PatientFactory.create_batch(30, hospital=hospital)
    api = api_client(agent_ann)
    first = api.get(PATIENTS).json()
    assert first["count"] == 30
    assert len(first["results"]) == 25
    assert first["next"].endswith("page=2")
    second = api.get(first["next"]).json()
    assert len(second["results"]) == 5 and second["next"] is None
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
    small = api.get(PATIENTS, {"page_size": 10}).json()
    assert len(small["results"]) == 10 and small["count"] == 30


def test_a_page_beyond_the_end_is_404_not_500(api_client, hospital, agent_ann):
    PatientFactory(hospital=hospital)
    assert api_client(agent_ann).get(PATIENTS, {"page": 9}).status_code == 404


def test_patients_filter_by_sex_tag_and_region(api_client, registry, agent_ann):
    api = api_client(agent_ann)
    assert [r["id"] for r in api.get(PATIENTS, {"sex": "F"}).json()["results"]] == [registry.child.pk]
    registry.both.tags.create(name="VIP")
    assert [r["id"] for r in api.get(PATIENTS, {"tag": "VIP"}).json()["results"]] == [registry.both.pk]
    assert api.get(PATIENTS, {"region": "3201"}).json()["count"] == 3
    assert api.get(PATIENTS, {"region": "1101"}).json()["count"] == 0
    assert api.get(PATIENTS, {"encounter_kind": "inpatient"}).json()["count"] == 1


def test_an_invalid_filter_value_is_a_400(api_client, registry, agent_ann):
    response = api_client(agent_ann).get(PATIENTS, {"sex": "X"})
    assert response.status_code == 400
    assert "sex" in response.json()


def test_patients_can_be_ordered(api_client, registry, agent_ann):
    rows = api_client(agent_ann).get(PATIENTS, {"ordering": "mrn"}).json()["results"]
    assert [r["mrn"] for r in rows] == ["B0000001", "C0000001", "P0000001"]


def test_encounters_filter_by_department_kind_and_code(api_client, registry, agent_ann):
    api = api_client(agent_ann)
    cardiology = api.get(ENCOUNTERS, {"department": "CARD"}).json()
    assert cardiology["count"] == 2
    assert {r["department_name"] for r in cardiology["results"]} == {"心血管内科"}
    inpatient = api.get(ENCOUNTERS, {"kind": "inpatient"}).json()["results"]
    assert [r["patient"] for r in inpatient] == [registry.child.pk]
    assert inpatient[0]["ward"] == "PEDI-1"
    assert api.get(ENCOUNTERS, {"icd10": "I2"}).json()["count"] == 1
    assert api.get(ENCOUNTERS, {"patient": registry.both.pk}).json()["count"] == 2


def test_departments_list_and_filter(api_client, hospital, cardiology, paediatrics, agent_ann):
    DepartmentFactory(hospital=hospital, code="MEDA", name="医务处", kind="administrative")
    DepartmentFactory(code="ELSE", name="外院科室")  # another hospital
    api = api_client(agent_ann)
    everything = api.get(DEPARTMENTS).json()
    assert {r["code"] for r in everything["results"]} == {"CARD", "PEDI", "MEDA"}
    assert [r["code"] for r in api.get(DEPARTMENTS, {"kind": "administrative"}).json()["results"]] == ["MEDA"]
    assert [r["name"] for r in api.get(DEPARTMENTS, {"code": "CARD"}).json()["results"]] == ["心血管内科"]
    assert api.get(DEPARTMENTS, {"name": "儿"}).json()["count"] == 1


# --- create -----------------------------------------------------------------------------------------


def test_create_a_patient_then_an_encounter_with_diagnoses(api_client, hospital, cardiology, admin_sun):
    ward = WardFactory(department=cardiology, code="CARD-1")
    api = api_client(admin_sun)
    created = api.post(PATIENTS, _patient_payload(), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["national_id"] == mask_national_id(MALE_ID)
    assert body["birth_date"] == BIRTH.isoformat()
    assert [p["number"] for p in body["phones"]] == ["138****5678", "139****1111"]
    assert body["region_name"] == "江苏省南京市鼓楼区"

    encounter = api.post(
        ENCOUNTERS,
        {
            "patient": body["id"],
            "kind": "inpatient",
            "department": "CARD",
            "ward": "CARD-1",
            "started_at": "2026-05-04T10:00:00+08:00",
            "ended_at": "2026-05-09T09:00:00+08:00",
            "surgery_grade": 3,
            "diagnoses": [
                {"code": "I21.0", "name": "急性前壁心肌梗死", "is_primary": True},
                {"code": "e119", "name": "2型糖尿病"},
            ],
        },
        format="json",
    )
    assert encounter.status_code == 201, encounter.json()
    data = encounter.json()
    assert data["ward"] == ward.code and data["department"] == "CARD"
    assert [(d["code"], d["category"], d["chapter"]) for d in data["diagnoses"]] == [
        ("I21.0", "I21", 9),
        ("E11.9", "E11", 4),
    ]
    assert Encounter.objects.get().patient_id == body["id"]


def test_a_redelivered_source_key_answers_with_the_same_patient(api_client, hospital, agent_ann):
    api = api_client(agent_ann)
    first = api.post(PATIENTS, _patient_payload(source_key="HIS:1"), format="json")
    again = api.post(PATIENTS, _patient_payload(source_key="HIS:1"), format="json")
    assert again.status_code in {200, 201}
    assert again.json()["id"] == first.json()["id"]
    assert Patient.objects.count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"mrn": "X1"}, "name"),  # missing field
        ({"name": "无号"}, "mrn"),
        (_patient_payload(birth_date="1971-13-45"), "birth_date"),
        (_patient_payload(national_id="32010619711001001"), "national_id"),
        (_patient_payload(national_id=MALE_ID[:-1] + ("0" if MALE_ID[-1] != "0" else "1")), "national_id"),
        (_patient_payload(region="329999"), "region"),
        (_patient_payload(region="32"), "region"),
        (_patient_payload(sex="F"), "sex"),
        (_patient_payload(sex="other"), "sex"),
        (_patient_payload(birth_date="1971-10-02"), "birth_date"),
        (_patient_payload(phones="13812345678"), "phones"),
        (_patient_payload(phones=[{"number": "12"}]), "phones"),
        (_patient_payload(phones=[{"kind": "mobile"}]), "phones"),
        (_patient_payload(tags="慢病"), "tags"),
        (_patient_payload(contact_consent="perhaps"), "contact_consent"),
        (_patient_payload(mrn=["A", "B"]), "mrn"),
        (_patient_payload(name="张" * 65), "name"),
    ],
)
def test_malformed_patient_payloads_get_400_with_field_errors(
    api_client, hospital, agent_ann, payload, field
):
    response = api_client(agent_ann).post(PATIENTS, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("body", ["{not json", "[]", '"a string"', "null"])
def test_a_body_that_is_not_a_json_object_gets_400(api_client, hospital, agent_ann, body):
    response = api_client(agent_ann).post(PATIENTS, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()
    assert not Patient.objects.exists()


def test_a_duplicate_mrn_gets_400_on_the_mrn_field(api_client, hospital, agent_ann):
    api = api_client(agent_ann)
    assert api.post(PATIENTS, _patient_payload(), format="json").status_code == 201
    response = api.post(PATIENTS, _patient_payload(national_id=""), format="json")
    assert response.status_code == 400
    assert "mrn" in response.json()
    assert Patient.objects.count() == 1


@pytest.fixture
def encounter_payload(registry):
    return {
        "patient": registry.child.pk,
        "kind": "outpatient",
        "department": "PEDI",
        "started_at": "2026-05-04T10:00:00+08:00",
        "ended_at": "2026-05-04T10:30:00+08:00",
        "diagnoses": [{"code": "J06.9", "name": "急性上呼吸道感染"}],
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "telemedicine"}, "kind"),
        ({"ended_at": "2026-05-04T09:00:00+08:00"}, "ended_at"),
        ({"started_at": "yesterday"}, "started_at"),
        ({"patient": "abc"}, "patient"),
        ({"patient": None}, "patient"),
        ({"surgery_grade": 7}, "surgery_grade"),
        ({"diagnoses": [{"code": "XYZ", "name": "乱码"}]}, "diagnoses"),
        ({"diagnoses": [{"code": "J06.9"}]}, "diagnoses"),
        ({"diagnoses": "J06.9"}, "diagnoses"),
        ({"kind": "inpatient"}, "ward"),
        ({"critical": "very"}, "critical"),
    ],
)
def test_malformed_encounter_payloads_get_400_with_field_errors(
    api_client, admin_sun, encounter_payload, changes, field
):
    response = api_client(admin_sun).post(ENCOUNTERS, {**encounter_payload, **changes}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Encounter.objects.count() == 4  # the registry's own
    assert Diagnosis.objects.count() == 4


@pytest.mark.parametrize(
    "changes", [{"department": "NOPE"}, {"ward": "NOPE-9"}, {"patient": 999999}, {"attending_doctor": 999999}]
)
def test_unknown_references_in_an_encounter_get_404(api_client, admin_sun, encounter_payload, changes):
    response = api_client(admin_sun).post(ENCOUNTERS, {**encounter_payload, **changes}, format="json")
    assert response.status_code == 404
    assert Encounter.objects.count() == 4


def test_an_encounter_in_a_department_outside_the_scope_is_refused(
    api_client, registry, checkup_wang, encounter_payload
):
    api = api_client(checkup_wang)
    response = api.post(ENCOUNTERS, {**encounter_payload, "department": "CARD"}, format="json")
    assert response.status_code in {403, 404}
    assert not Encounter.objects.filter(patient=registry.child, department__code="CARD").exists()
    allowed = api.post(ENCOUNTERS, encounter_payload, format="json")
    assert allowed.status_code == 201, allowed.json()


def test_an_encounter_for_a_patient_outside_the_scope_is_404(
    api_client, registry, checkup_wang, encounter_payload
):
    response = api_client(checkup_wang).post(
        ENCOUNTERS, {**encounter_payload, "patient": registry.card_only.pk}, format="json"
    )
    assert response.status_code == 404
    assert registry.card_only.encounters.count() == 1


def test_creating_needs_the_add_permissions(api_client, registry, ward_manager_wang, encounter_payload):
    api = api_client(ward_manager_wang)
    assert api.post(PATIENTS, _patient_payload(), format="json").status_code == 403
    assert api.post(ENCOUNTERS, encounter_payload, format="json").status_code == 403
    assert not Patient.objects.filter(mrn="API0001").exists()


# --- update -----------------------------------------------------------------------------------------


def test_patch_updates_and_is_audited(api_client, registry, ward_manager_wang):
    response = api_client(ward_manager_wang).patch(
        f"{PATIENTS}{registry.child.pk}/",
        {"address": "建邺区", "phones": [{"number": "13600001234"}]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["address"] == "建邺区"
    assert [p["number"] for p in response.json()["phones"]] == ["136****1234"]
    event = AuditEvent.objects.get(action="patient.update")
    assert event.actor == ward_manager_wang
    assert event.changes["address"] == ["", "建邺区"]
    assert event.changes["phones"] == [["137****4444"], ["136****1234"]]


def test_patch_with_bad_values_gets_400_and_changes_nothing(api_client, registry, agent_ann):
    api = api_client(agent_ann)
    url = f"{PATIENTS}{registry.child.pk}/"
    for payload in (
        {"national_id": "123"},
        {"region": "999999"},
        {"birth_date": "2001-02-30"},
        {"mrn": registry.both.mrn},
        {"sex": "M"},
    ):
        response = api.patch(url, payload, format="json")
        assert response.status_code == 400, (payload, response.content)
    registry.child.refresh_from_db()
    assert registry.child.mrn == "P0000001" and registry.child.sex == "F"
    assert not AuditEvent.objects.exists()


def test_patch_outside_the_scope_is_404_and_without_permission_403(
    api_client, registry, ward_manager_wang, clinician_zhou
):
    assert (
        api_client(ward_manager_wang)
        .patch(f"{PATIENTS}{registry.card_only.pk}/", {"address": "x"}, format="json")
        .status_code
        == 404
    )
    assert (
        api_client(clinician_zhou)
        .patch(f"{PATIENTS}{registry.card_only.pk}/", {"address": "x"}, format="json")
        .status_code
        == 403
    )
    registry.card_only.refresh_from_db()
    assert registry.card_only.address == ""


def test_put_and_delete_are_not_offered(api_client, registry, admin_sun):
    api = api_client(admin_sun)
    url = f"{PATIENTS}{registry.child.pk}/"
    assert api.put(url, _patient_payload(), format="json").status_code == 405
    assert api.delete(url).status_code in {403, 405}  # no one holds delete_patient; there is no route either
    assert Patient.objects.filter(pk=registry.child.pk).exists()


# --- reveal -----------------------------------------------------------------------------------------


def test_reveal_through_the_api_with_the_permission(api_client, registry, agent_ann):
    response = api_client(agent_ann).post(
        f"{PATIENTS}{registry.child.pk}/reveal/",
        {"reason": "回访电话", "fields": ["national_id", "phones"]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {"national_id": registry.child.national_id, "phones": ["13733334444"]}
    entry = PatientAccessLog.objects.get()
    assert (entry.action, entry.channel, entry.reason) == (AccessAction.REVEAL, AccessChannel.API, "回访电话")


def test_reveal_through_the_api_without_the_permission(api_client, registry, quality_officer_qian):
    response = api_client(quality_officer_qian).post(
        f"{PATIENTS}{registry.child.pk}/reveal/", {"reason": "回访电话"}, format="json"
    )
    assert response.status_code == 403
    assert registry.child.national_id not in response.content.decode()
    assert not PatientAccessLog.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"reason": ""},
        {"reason": "回访", "fields": ["address"]},
        {"reason": "回访", "fields": "national_id"},
    ],
)
def test_a_malformed_reveal_gets_400_and_logs_nothing(api_client, registry, agent_ann, payload):
    response = api_client(agent_ann).post(f"{PATIENTS}{registry.child.pk}/reveal/", payload, format="json")
    assert response.status_code == 400
    assert not PatientAccessLog.objects.exists()


def test_reveal_of_a_patient_outside_the_scope_is_404(api_client, registry, ward_manager_wang):
    response = api_client(ward_manager_wang).post(
        f"{PATIENTS}{registry.card_only.pk}/reveal/", {"reason": "回访电话"}, format="json"
    )
    assert response.status_code == 404
    assert not PatientAccessLog.objects.exists()


# --- schema -----------------------------------------------------------------------------------------


def test_the_openapi_schema_lists_the_registry(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/patients/",
        "/api/v1/patients/{id}/",
        "/api/v1/patients/{id}/reveal/",
        "/api/v1/encounters/",
        "/api/v1/departments/",
        "/api/v1/auth/token/",
    } <= set(schema["paths"])
    assert "post" in schema["paths"]["/api/v1/patients/"]
    token_auth = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (token_auth["in"], token_auth["name"]) == ("header", "Authorization")


def test_the_api_docs_page_renders(client):
    assert client.get("/api/docs/").status_code == 200


def test_encounter_list_of_a_merged_patient_shows_under_the_survivor(
    api_client, hospital, cardiology, admin_sun
):
    from carebridge.patients.services.merges import patient_merge

    survivor = PatientFactory(hospital=hospital)
    duplicate = PatientFactory(hospital=hospital, national_id="")
    PhoneFactory(patient=duplicate)
    EncounterFactory(patient=duplicate, department=cardiology)
    patient_merge(survivor=survivor, duplicate=duplicate, actor=admin_sun, reason="同一人")
    api = api_client(admin_sun)
    assert api.get(ENCOUNTERS, {"patient": survivor.pk}).json()["count"] == 1
    assert duplicate.pk not in {r["id"] for r in api.get(PATIENTS).json()["results"]}
