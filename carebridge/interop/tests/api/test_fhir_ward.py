"""FHIR R4 results for an inpatient (issue #12): an Observation whose encounter is a ward stay — by
``Encounter/<id>`` or by the stay's visit number — is filed into the stay's results holder under its
DiagnosticReport's identifier (the laboratory order), opens a notification under the ward's rule set,
and is read back as Observation and DiagnosticReport by the ward's staff; an unknown encounter changes
nothing."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from carebridge.checkup.models import Result, Visit
from carebridge.critical.models import Notification
from carebridge.critical.services.attempts import ladder_of
from carebridge.interop.services.messages import hl7_receive
from carebridge.interop.tests.support.messages import MRN_SYSTEM, adt, segment
from carebridge.patients.models import Encounter

pytestmark = pytest.mark.django_db
URL = "/fhir/r4/"


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def stay(clock, catalogue, his, lis, wards):
    ack = hl7_receive(raw=adt("A01", control_id="A1", visit="ZY001", ward="CW1", department="CARD").encode())
    assert segment(ack, "MSA")[1] == "AA"
    return Encounter.objects.get(source_key__endswith=":visit:ZY001")


def lab_bundle(encounter_ref, *, key="lab-ward-1", code="HGB", value=55, unit="g/L", order="L0009"):
    subject = {"reference": f"Patient?identifier={MRN_SYSTEM}|M0001"}
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "id": key,
        "entry": [
            {
                "fullUrl": "urn:uuid:o1",
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"coding": [{"system": "urn:carebridge:item", "code": code}]},
                    "subject": subject,
                    "encounter": encounter_ref,
                    "valueQuantity": {
                        "value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit
                    },
                    "effectiveDateTime": "2025-03-12T07:20:00+08:00",
                },
                "request": {"method": "POST", "url": "Observation"},
            },
            {
                "fullUrl": "urn:uuid:r1",
                "resource": {
                    "resourceType": "DiagnosticReport",
                    "status": "final",
                    "identifier": [{"system": "urn:lis:order", "value": order}],
                    "code": {"text": "血常规"},
                    "subject": subject,
                    "encounter": encounter_ref,
                    "result": [{"reference": "urn:uuid:o1"}],
                },
                "request": {"method": "POST", "url": "DiagnosticReport"},
            },
        ],
    }  # fmt: skip


def test_a_bundle_for_a_ward_stay_files_into_its_holder_and_opens_a_ward_notification(stay, lis):
    response = client_for(lis.account).post(
        URL, lab_bundle({"reference": f"Encounter/{stay.pk}"}), format="json"
    )

    assert response.status_code == 200, response.json()
    holder = Visit.all_kinds.get(encounter=stay)
    assert (holder.kind, holder.number) == ("clinical", "L0009")
    assert Result.objects.get(visit=holder).flag == "L"
    notification = Notification.objects.get()
    assert notification.rule_set.code == "WARD" and ladder_of(notification)[0] == "doctor"
    again = client_for(lis.account).post(
        URL, lab_bundle({"reference": f"Encounter/{stay.pk}"}), format="json"
    )
    assert again.json() == response.json() and Result.objects.count() == 1


def test_the_stays_visit_number_finds_it_too(stay, lis):
    response = client_for(lis.account).post(
        URL, lab_bundle({"identifier": {"value": "ZY001"}}), format="json"
    )
    assert response.status_code == 200, response.json()
    assert Visit.all_kinds.get().encounter == stay


def test_an_unknown_encounter_changes_nothing(stay, lis):
    response = client_for(lis.account).post(URL, lab_bundle({"reference": "Encounter/999999"}), format="json")
    assert response.status_code == 422
    assert "Encounter/999999" in response.json()["issue"][0]["diagnostics"]
    assert not Result.objects.exists() and not Visit.all_kinds.exists()


def test_the_wards_staff_read_the_results_back_and_the_centre_does_not(stay, lis, clinician_zhou, staff_chen):
    client_for(lis.account).post(URL, lab_bundle({"reference": f"Encounter/{stay.pk}"}), format="json")
    subject = f"Patient/{stay.patient_id}"

    ward = client_for(clinician_zhou)
    hits = ward.get(f"{URL}Observation", {"subject": subject}).json()
    assert hits["total"] == 1 and hits["entry"][0]["resource"]["valueQuantity"]["value"] == 55
    [report] = ward.get(f"{URL}DiagnosticReport", {"subject": subject}).json()["entry"]
    assert report["resource"]["identifier"][0]["value"] == "L0009"
    assert report["resource"]["encounter"] == {"reference": f"Encounter/{stay.pk}"}
    assert client_for(staff_chen).get(f"{URL}Observation", {"subject": subject}).json()["total"] == 0
