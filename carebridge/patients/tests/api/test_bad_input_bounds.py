"""Nested lists of the patient API are bounded and complete: at most ten phones, and a PATCH that
replaces the phones gives each one whole (issue 19, items 5 and 6)."""

from __future__ import annotations

import pytest

from carebridge.patients.models import Patient
from carebridge.patients.tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_a_patient_takes_at_most_ten_phones_and_none_is_stored_otherwise(api_client, admin_sun):
    phones = [{"number": f"1381234{n:04d}"} for n in range(11)]
    response = api_client(admin_sun).post(
        "/api/v1/patients/", {"mrn": "M-LIST", "name": "张三", "phones": phones}, format="json"
    )
    assert response.status_code == 400 and "phones" in response.json()
    assert not Patient.objects.filter(mrn="M-LIST").exists()


def test_a_partial_phone_in_a_patch_is_a_field_error_not_a_500(api_client, admin_sun, hospital):
    patient = PatientFactory(hospital=hospital)
    client = api_client(admin_sun)
    response = client.patch(f"/api/v1/patients/{patient.pk}/", {"phones": [{"label": "家"}]}, format="json")
    assert response.status_code == 400
    assert "number" in str(response.json()["phones"])
    ok = client.patch(
        f"/api/v1/patients/{patient.pk}/", {"phones": [{"number": "13812345678"}]}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["phones"][0]["number"] == "138****5678"


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("birth_date", {"birth_date": "0001-01-01"}),
        ("birth_date", {"birth_date": "1800-06-01"}),
        ("phones", {"phones": [{"number": "00000000000"}]}),
        ("phones", {"phones": [{"number": "010-00000000"}]}),
        ("name", {"name": "12345"}),
    ],
)
def test_implausible_values_are_field_errors_and_nothing_is_stored(api_client, admin_sun, field, values):
    body = {"mrn": "M-PLAUSIBLE", "name": "李四", **values}
    response = api_client(admin_sun).post("/api/v1/patients/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Patient.objects.filter(mrn="M-PLAUSIBLE").exists()
