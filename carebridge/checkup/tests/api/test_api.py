"""The checkup API under /api/v1/checkup/: scoped like the pages, identifiers masked, documented."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from carebridge.checkup.services.flow import queue_join
from carebridge.checkup.tests.factories import CentreFactory
from carebridge.checkup.tests.support.people import checked_in, crowd, examined, signed
from carebridge.core.tests.factories import make_persona
from carebridge.patients.models import PatientAccessLog

pytestmark = pytest.mark.django_db


def test_items_are_searched_by_code_loinc_or_name(site, api_client):
    client = api_client(site.staff)
    found = client.get("/api/v1/checkup/items/", {"search": "14771-0"}).json()
    assert [row["code"] for row in found["results"]] == ["GLU"]
    glucose = found["results"][0]
    assert (
        glucose["unit"] == "mmol/L"
        and glucose["ranges"][0]["low"] == "3.9000"
        and glucose["kind"] == "numeric"
    )
    assert client.get("/api/v1/checkup/items/", {"search": "血糖"}).json()["count"] == 2


def test_packages_and_groups_are_listed(site, api_client):
    client = api_client(site.staff)
    packages = client.get("/api/v1/checkup/packages/").json()["results"]
    assert {"M-40", "X-TUMOUR"} <= {p["code"] for p in packages}
    assert client.get("/api/v1/checkup/groups/").status_code == 200


def test_a_visit_is_read_with_masked_identifiers_and_the_read_is_logged(site, api_client):
    visit = examined(
        centre=site.centre,
        actor=site.staff,
        catalogue=site.catalogue,
        values={"GLU": "7.2"},
        patient=site.customer,
    )
    client = api_client(site.staff)
    listed = client.get("/api/v1/checkup/visits/", {"date": "2025-03-12"}).json()
    assert listed["count"] == 1
    detail = client.get(f"/api/v1/checkup/visits/{visit.pk}/").json()
    assert (
        detail["patient"]["national_id"]
        == site.customer.national_id[:3] + "*" * 11 + site.customer.national_id[-4:]
    )
    assert site.customer.national_id not in str(detail) and "13912345678" not in str(detail)
    assert detail["results"][0]["flag"] == "H" and detail["results"][0]["value"] == "7.20 mmol/L"
    assert PatientAccessLog.objects.filter(patient=site.customer, channel="api").count() == 1


def test_next_room_sends_a_fasting_person_to_the_blood_draw(site, api_client):
    items = site.catalogue.items
    crowd(centre=site.centre, actor=site.staff, room=site.catalogue.rooms["BLD"], item=items["GLU"], size=8)
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[items["GLU"], items["ECG"]]
    )
    answer = api_client(site.nurse).get(f"/api/v1/checkup/visits/{visit.pk}/next-room/").json()
    assert answer["kind"] == "room" and answer["room_name"] == "采血室" and answer["expected_wait"] == 4


def test_rooms_come_with_their_queue(site, api_client):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[site.catalogue.items["ECG"]]
    )
    queue_join(visit=visit, room=site.catalogue.rooms["ECG"], actor=site.staff)
    rooms = api_client(site.nurse).get("/api/v1/checkup/rooms/").json()
    ecg = next(room for room in rooms if room["code"] == "ECG")
    assert ecg["ahead"] == 1 and ecg["expected_wait"] == 5
    assert ecg["queue"][0]["name"] == "王建国" and ecg["queue"][0]["status_label"]


def test_the_report_pdf_of_a_signed_visit(site, api_client):
    visit = examined(centre=site.centre, actor=site.staff, catalogue=site.catalogue, values={"GLU": "5.0"})
    client = api_client(site.examiner)
    assert client.get(f"/api/v1/checkup/visits/{visit.pk}/report.pdf").status_code == 404  # not signed yet
    signed(visit=visit, examiner=site.examiner)
    response = client.get(f"/api/v1/checkup/visits/{visit.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_roles_outside_the_centre_and_other_centres_see_nothing(site, api_client, clinician_zhou):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[site.catalogue.items["GLU"]]
    )
    assert api_client(clinician_zhou).get("/api/v1/checkup/visits/").status_code == 403
    assert api_client(clinician_zhou).get("/api/v1/checkup/items/").status_code == 403
    elsewhere = make_persona(
        "far",
        "checkup_staff",
        site.centre.hospital,
        departments=[CentreFactory(hospital=site.centre.hospital)],
    )
    assert api_client(elsewhere).get(f"/api/v1/checkup/visits/{visit.pk}/").status_code == 404
    assert api_client(elsewhere).get(f"/api/v1/checkup/visits/{visit.pk}/next-room/").status_code == 404
    assert api_client().get("/api/v1/checkup/visits/").status_code in (401, 403)


def test_the_schema_documents_the_checkup_api_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    for path in (
        "/api/v1/checkup/items/",
        "/api/v1/checkup/packages/",
        "/api/v1/checkup/groups/",
        "/api/v1/checkup/visits/",
        "/api/v1/checkup/visits/{id}/next-room/",
        "/api/v1/checkup/visits/{id}/report.pdf",
        "/api/v1/checkup/rooms/",
    ):
        assert path in text, path
