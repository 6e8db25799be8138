"""FHIR R4 (issue #12): a transaction Bundle is all-or-nothing, an invalid one answers an
OperationOutcome and changes nothing, anonymous writes are refused, and the searches return what was
filed (Patient by identifier, Encounter, Observation by subject, code and date, DiagnosticReport)."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from carebridge.checkup.models import Result
from carebridge.followup.models import CarePlan
from carebridge.interop.tests.support.messages import MRN_SYSTEM
from carebridge.patients.models import Encounter, Patient, PatientAccessLog

pytestmark = pytest.mark.django_db
URL = "/fhir/r4/"


def client_for(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def stay_bundle(mrn="F001", *, birth="1958-04-01", extra=()):
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "id": f"bundle-{mrn}",
        "entry": [
            {
                "fullUrl": "urn:uuid:p1",
                "resource": {
                    "resourceType": "Patient",
                    "identifier": [{"system": MRN_SYSTEM, "value": mrn}],
                    "name": [{"family": "赵", "given": ["六"]}],
                    "gender": "female",
                    "birthDate": birth,
                },
                "request": {"method": "PUT", "url": f"Patient?identifier={MRN_SYSTEM}|{mrn}"},
            },
            {
                "fullUrl": "urn:uuid:e1",
                "resource": {
                    "resourceType": "Encounter",
                    "status": "finished",
                    "identifier": [{"value": f"ZY-{mrn}"}],
                    "class": {"code": "IMP"},
                    "subject": {"reference": "urn:uuid:p1"},
                    "serviceType": {"coding": [{"code": "PEDI"}]},
                    "location": [{"location": {"identifier": {"value": "PW1"}}}],
                    "period": {"start": "2025-03-05T09:00:00+08:00", "end": "2025-03-11T10:00:00+08:00"},
                },
                "request": {"method": "POST", "url": "Encounter"},
            },
            *extra,
        ],
    }


def test_a_transaction_files_patient_and_stay_and_the_discharge_opens_follow_up(clock, his, wards):
    response = client_for(his.account).post(URL, stay_bundle(), format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["type"] == "transaction-response"
    patient = Patient.objects.get(mrn="F001")
    stay = Encounter.objects.get(patient=patient)
    assert stay.ended_at is not None and CarePlan.objects.get(encounter=stay).discharged_at is not None


def test_a_transaction_with_one_bad_entry_changes_nothing(clock, his, wards):
    bad = {
        "fullUrl": "urn:uuid:o1",
        "resource": {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "urn:carebridge:item", "code": "NO-SUCH"}]},
            "subject": {"reference": "urn:uuid:p1"},
            "valueQuantity": {"value": 5.1, "code": "mmol/L"},
        },
        "request": {"method": "POST", "url": "Observation"},
    }
    response = client_for(his.account).post(URL, stay_bundle(extra=[bad]), format="json")

    assert response.status_code == 422
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not Patient.objects.exists() and not Encounter.objects.exists()


def test_an_invalid_bundle_answers_an_operation_outcome_and_changes_nothing(clock, his, wards):
    response = client_for(his.account).post(URL, stay_bundle(birth="1st of April"), format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["resourceType"] == "OperationOutcome" and "birthDate" in body["issue"][0]["diagnostics"]
    assert not Patient.objects.exists()


def test_anonymous_and_ordinary_users_cannot_write(clock, his, wards, clinician_zhou):
    assert client_for().post(URL, stay_bundle(), format="json").status_code == 401
    assert client_for(clinician_zhou).post(URL, stay_bundle(), format="json").status_code == 403
    assert not Patient.objects.exists()


def test_a_resent_bundle_files_nothing_twice(clock, his, wards):
    first = client_for(his.account).post(URL, stay_bundle(), format="json")
    again = client_for(his.account).post(URL, stay_bundle(), format="json")
    assert again.json() == first.json() and Encounter.objects.count() == 1


def test_results_are_filed_and_found_by_subject_code_and_date(open_visit, his):
    visit = open_visit
    customer = visit.patient
    observation = {
        "fullUrl": "urn:uuid:o1",
        "resource": {
            "resourceType": "Observation",
            "status": "final",
            "code": {
                "coding": [
                    {"system": "http://loinc.org", "code": "2345-7"},
                    {"system": "urn:carebridge:item", "code": "GLU"},
                ]
            },
            "subject": {"reference": f"Patient?identifier={MRN_SYSTEM}|{customer.mrn}"},
            "valueQuantity": {
                "value": 126,
                "unit": "mg/dL",
                "system": "http://unitsofmeasure.org",
                "code": "mg/dL",
            },
            "effectiveDateTime": "2025-03-12T07:20:00+08:00",
        },
        "request": {"method": "POST", "url": "Observation"},
    }
    report = {
        "fullUrl": "urn:uuid:r1",
        "resource": {
            "resourceType": "DiagnosticReport",
            "status": "final",
            "code": {"text": "生化"},
            "subject": {"reference": f"Patient?identifier={MRN_SYSTEM}|{customer.mrn}"},
            "encounter": {"identifier": {"value": visit.number}},
            "result": [{"reference": "urn:uuid:o1"}],
        },
        "request": {"method": "POST", "url": "DiagnosticReport"},
    }
    bundle = {"resourceType": "Bundle", "type": "transaction", "id": "lab-1", "entry": [observation, report]}
    client = client_for(his.account)

    assert client.post(URL, bundle, format="json").status_code == 200
    assert str(Result.objects.get().value_numeric) == "7.0000"

    found = client.get(f"{URL}Patient", {"identifier": f"{MRN_SYSTEM}|{customer.mrn}"}).json()
    assert [e["resource"]["id"] for e in found["entry"]] == [str(customer.pk)]
    subject = f"Patient/{customer.pk}"
    hits = client.get(
        f"{URL}Observation", {"subject": subject, "code": "urn:carebridge:item|GLU", "date": "ge2025-03-12"}
    ).json()
    assert hits["total"] == 1 and hits["entry"][0]["resource"]["valueQuantity"]["value"] == 7.0
    assert client.get(f"{URL}Observation", {"subject": subject, "date": "lt2025-03-12"}).json()["total"] == 0
    assert (
        client.get(f"{URL}Observation", {"subject": subject, "code": "http://loinc.org|0000-0"}).json()[
            "total"
        ]
        == 0
    )
    reports = client.get(f"{URL}DiagnosticReport", {"subject": subject}).json()
    assert reports["entry"][0]["resource"]["identifier"][0]["value"] == visit.number
    assert PatientAccessLog.objects.filter(patient=customer, channel="api").exists()


def test_reads_are_scoped_and_need_a_login(clock, his, wards, clinician_zhou):
    client_for(his.account).post(URL, stay_bundle(), format="json")
    patient = Patient.objects.get()
    assert client_for().get(f"{URL}Patient/{patient.pk}").status_code == 401
    # Zhou (cardiology) does not see a paediatric patient: absent, not forbidden.
    assert client_for(clinician_zhou).get(f"{URL}Patient/{patient.pk}").status_code == 404
    stays = client_for(his.account).get(f"{URL}Encounter", {"subject": f"Patient/{patient.pk}"}).json()
    assert stays["entry"][0]["resource"]["status"] == "finished"


def test_communications_need_a_login_and_answer_fhir(clock, his):
    assert client_for().get(f"{URL}Communication").status_code == 401
    response = client_for(his.account).get(f"{URL}Communication", {"subject": f"Patient/{his.pk}"})
    assert response.status_code == 200
    assert response.json()["resourceType"] == "Bundle" and response.json().get("entry", []) == []


def test_a_critical_result_filed_over_fhir_is_served_as_its_communication(open_visit, lis, staff_chen):
    """A fasting glucose of 126 mg/dL (7.0 mmol/L, the seed's threshold) arrives in a transaction bundle:
    its critical-result notification is written with it, and once read back it is the Communication."""
    from carebridge.critical.models import Notification

    customer = open_visit.patient
    bundle = {
        "resourceType": "Bundle",
        "type": "transaction",
        "id": "glu-critical",
        "entry": [
            {
                "fullUrl": "urn:uuid:o1",
                "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"coding": [{"system": "urn:carebridge:item", "code": "GLU"}]},
                    "subject": {"reference": f"Patient?identifier={MRN_SYSTEM}|{customer.mrn}"},
                    "valueQuantity": {
                        "value": 126, "unit": "mg/dL", "system": "http://unitsofmeasure.org", "code": "mg/dL"
                    },
                    "effectiveDateTime": "2025-03-12T07:20:00+08:00",
                },
                "request": {"method": "POST", "url": "Observation"},
            }
        ],
    }  # fmt: skip
    assert client_for(lis.account).post(URL, bundle, format="json").status_code == 200
    notification = Notification.objects.get(patient=customer)
    assert [f.result.item.code for f in notification.findings.select_related("result__item")] == ["GLU"]

    page = client_for(staff_chen).get(f"{URL}Communication", {"subject": f"Patient/{customer.pk}"})
    assert page.status_code == 200, page.content
    [entry] = page.json()["entry"]
    resource = entry["resource"]
    assert resource["resourceType"] == "Communication" and resource["id"] == f"critical-{notification.pk}"
    assert resource["status"] == "in-progress"  # found, not yet communicated
    observation = Result.objects.get(item__code="GLU", visit=open_visit)
    assert {"reference": f"Observation/{observation.pk}"} in resource["about"]
