"""The complaint API: shapes (deadlines with kind and due, status, category), 400s, scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carebridge.complaints.models import Complaint
from carebridge.core.tests.factories import make_persona
from carebridge.patients.tests.factories import EncounterFactory, PatientFactory, PhoneFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"


def _payload(**overrides):
    payload = {
        "channel": "phone",
        "content": "收费处多收了检查费，要求退费",
        "complainant_name": "李女士",
        "complainant_phone": "13912345678",
        "complainant_class": "family",
        "severity": 2,
    }
    payload.update(overrides)
    return payload


def test_an_agent_records_a_complaint_and_gets_its_deadlines(api_client, agent_ann, offices, cardiology):
    response = api_client(agent_ann).post(URL, _payload(departments=["CARD"]), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "received" and body["category"] == "fees" and body["hcat_domain"] == "management"
    assert body["complainant_phone"] == "139****5678" and body["owner"] == "ann"
    assert {d["kind"] for d in body["deadlines"]} == {"acknowledgement", "feedback"}
    assert all(d["due"] for d in body["deadlines"])
    assert body["suggested_category"] == "fees"
    assert {e["term"] for e in body["suggestion_evidence"]} >= {"收费", "多收", "退费"}


def test_a_patient_complainant_must_be_in_the_receivers_scope(
    api_client, ward_manager_wang, hospital, cardiology, paediatrics
):
    heart = PatientFactory(hospital=hospital, mrn="H1")
    EncounterFactory(patient=heart, department=cardiology)
    child = PatientFactory(hospital=hospital, mrn="C1", name="王小明")
    PhoneFactory(patient=child, number="13700001111")
    EncounterFactory(patient=child, department=paediatrics)
    client = api_client(ward_manager_wang)
    refused = client.post(URL, _payload(patient=heart.pk), format="json")
    assert refused.status_code == 400 and "patient" in refused.json()
    accepted = client.post(
        URL,
        _payload(patient=child.pk, complainant_name="", complainant_phone="", departments=["PEDI"]),
        format="json",
    )
    assert accepted.status_code == 201
    assert accepted.json()["complainant_name"] == "王小明"
    assert accepted.json()["complainant_phone"] == "137****1111"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (_payload(channel="pigeon"), "channel"),
        (_payload(content=""), "content"),
        (_payload(severity=9), "severity"),
        (_payload(complainant_name=""), "complainant_name"),
        (_payload(complainant_phone="12345"), "complainant_phone"),
        (_payload(departments=["NOPE"]), "departments"),
        (_payload(received_at="2999-01-01T10:00:00+08:00"), "received_at"),
        (_payload(received_at="0258-01-01T10:00:00+08:00"), "received_at"),  # core's DateTimeField
        (_payload(category="bogus"), "category"),
    ],
)
def test_bad_input_gets_400_with_field_errors(api_client, agent_ann, offices, payload, field):
    response = api_client(agent_ann).post(URL, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Complaint.objects.exists()


def test_transitions_are_post_actions_and_illegal_ones_are_400(
    api_client, agent_ann, complaint_officer_li, offices
):
    created = api_client(agent_ann).post(URL, _payload(), format="json").json()
    officer = api_client(complaint_officer_li)
    detail = f"{URL}{created['id']}/"
    refused = officer.post(f"{detail}transition/", {"to": "closed"}, format="json")
    assert refused.status_code == 400 and "resolution" in refused.json()
    assert officer.post(f"{detail}transition/", {"to": "nowhere"}, format="json").status_code == 400
    routed = officer.post(f"{detail}transition/", {"to": "routed"}, format="json")
    assert routed.status_code == 200 and routed.json()["responsible_office"] == "FIN"
    assert officer.post(f"{detail}transition/", {"to": "investigating"}, format="json").status_code == 200
    assert officer.post(f"{detail}notes/", {"text": "核实收费明细"}, format="json").status_code == 201
    recovery = officer.post(
        f"{detail}recovery-actions/",
        {"kind": "fee_refund", "description": "退还检查费", "cost": "120.00"},
        format="json",
    )
    assert recovery.status_code == 201
    resolved = officer.post(f"{detail}transition/", {"to": "resolved", "resolution": "已退费"}, format="json")
    assert resolved.json()["status"] == "resolved"
    confirmed = officer.post(f"{detail}feedback/", {"satisfied": True}, format="json")
    assert confirmed.json()["status"] == "confirmed"
    body = officer.get(detail).json()
    assert [t["to_status"] for t in body["transitions"]] == [
        "received",
        "routed",
        "investigating",
        "resolved",
        "confirmed",
    ]
    assert body["recovery_actions"][0]["cost"] == "120.00"
    assert all(d["met_at"] for d in body["deadlines"])


def test_a_recovery_action_done_before_the_complaints_day_is_400(
    api_client, agent_ann, complaint_officer_li, offices
):
    created = api_client(agent_ann).post(URL, _payload(), format="json").json()
    officer = api_client(complaint_officer_li)
    url = f"{URL}{created['id']}/recovery-actions/"
    action = {"kind": "apology", "description": "当面致歉"}
    # The API fuzzing sent year 62, which came back with a local-mean-time offset no client parses.
    for moment in ("0062-02-14T00:25:57+08:00", "2001-01-01T08:00:00+08:00"):
        refused = officer.post(url, {**action, "done_at": moment}, format="json")
        assert refused.status_code == 400 and "done_at" in refused.json()
    today = created["received_at"]
    assert officer.post(url, {**action, "done_at": today}, format="json").status_code == 201
    assert Complaint.objects.get(pk=created["id"]).recovery_actions.count() == 1


def test_attachments_upload_and_bad_files_are_400(api_client, agent_ann, offices):
    client = api_client(agent_ann)
    created = client.post(URL, _payload(), format="json").json()
    url = f"{URL}{created['id']}/attachments/"
    good = client.post(url, {"files": [SimpleUploadedFile("a.png", _png())]}, format="multipart")
    assert good.status_code == 201 and good.json()[0]["content_type"] == "image/png"
    bad = client.post(url, {"files": [SimpleUploadedFile("a.exe", b"MZ")]}, format="multipart")
    assert bad.status_code == 400 and "attachments" in bad.json()
    assert client.post(url, {}, format="multipart").status_code == 400


def test_the_category_suggestion_endpoint_says_why(api_client, agent_ann):
    response = api_client(agent_ann).post(f"{URL}suggest-category/", {"content": "红包"}, format="json")
    assert response.json()["category"] == "ethics" and response.json()["evidence"][0]["term"] == "红包"


def test_a_ward_manager_of_another_department_cannot_read_the_complaint(
    api_client, agent_ann, ward_manager_wang, cardiology, paediatrics
):
    client = api_client(agent_ann)
    heart = client.post(URL, _payload(departments=["CARD"]), format="json").json()
    child = client.post(URL, _payload(departments=["PEDI"]), format="json").json()
    wang = api_client(ward_manager_wang)
    assert wang.get(f"{URL}{heart['id']}/").status_code == 404
    assert wang.post(f"{URL}{heart['id']}/transition/", {"to": "routed"}, format="json").status_code == 404
    assert [c["id"] for c in wang.get(URL).json()["results"]] == [child["id"]]
    assert wang.get(f"{URL}{child['id']}/").status_code == 200


def test_leaders_and_outsiders_cannot_read_cases(api_client, executive_zhao, outsider, agent_ann, offices):
    api_client(agent_ann).post(URL, _payload(), format="json")
    assert api_client(executive_zhao).get(URL).status_code == 403
    assert api_client(outsider).get(URL).status_code == 403
    assert api_client().get(URL).status_code == 401


def test_another_hospital_is_out_of_scope(api_client, agent_ann, offices):
    from carebridge.core.tests.factories import HospitalFactory

    other = HospitalFactory()
    stranger = make_persona("stranger", "complaint_officer", other)
    created = api_client(agent_ann).post(URL, _payload(), format="json").json()
    assert api_client(stranger).get(f"{URL}{created['id']}/").status_code == 404


def test_list_filters_and_the_schema(api_client, agent_ann, offices):
    client = api_client(agent_ann)
    client.post(URL, _payload(), format="json")
    client.post(URL, _payload(content="护士很耐心", kind="compliment"), format="json")
    assert client.get(URL, {"kind": "compliment"}).json()["count"] == 1
    assert client.get(URL, {"category": "fees"}).json()["count"] == 1
    assert client.get(URL, {"severity": "9"}).status_code == 400
    schema = client.get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/complaints/{id}/transition/" in paths and "/api/v1/complaints/{id}/attachments/" in paths


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return buffer.getvalue()
