"""Every way of viewing a patient writes one access-log row (issue 19, item 4): the registry's page, its
edit page and API, a search that finds one person by MRN (GET and POST), the encounters of one patient,
a care plan (page and API), a touchpoint (API), the call page, the customer file, and a complaint
(page and API) — one row per request, for the patient shown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from carebridge.complaints.models import Complaint
from carebridge.core.tests.support.demo import whole_demo_in_transaction
from carebridge.followup.models import CarePlan, Touchpoint
from carebridge.patients.models import Patient, PatientAccessLog


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    yield from whole_demo_in_transaction(django_db_blocker)


def _plan() -> CarePlan:
    return CarePlan.objects.order_by("id").first()


def _call() -> Touchpoint:
    return (
        Touchpoint.objects.filter(kind__contains="call").order_by("id").first()
        or Touchpoint.objects.order_by("id").first()
    )


def _complaint() -> Complaint:
    return Complaint.objects.exclude(patient=None).order_by("id").first()


def _patient() -> Patient:
    return Patient.objects.exclude(mrn="").order_by("id").first()


# (name, how to find the patient, how to request the view: (web client, api client, patient-ish) → response)
PATHS: list[
    tuple[str, Callable[[], Any], Callable[[Any], Patient], Callable[[Client, APIClient, Any], Any]]
] = [
    ("patient page", _patient, lambda p: p, lambda web, api, p: web.get(f"/patients/{p.pk}/")),
    ("patient edit page", _patient, lambda p: p, lambda web, api, p: web.get(f"/patients/{p.pk}/edit/")),
    ("patient API", _patient, lambda p: p, lambda web, api, p: api.get(f"/api/v1/patients/{p.pk}/")),
    ("search by MRN", _patient, lambda p: p, lambda web, api, p: web.get("/patients/", {"q": p.mrn})),
    (
        "search by MRN (API, POST)",
        _patient,
        lambda p: p,
        lambda web, api, p: api.post("/api/v1/patients/search/", {"q": p.mrn}, format="json"),
    ),
    (
        "encounters of one patient",
        _patient,
        lambda p: p,
        lambda web, api, p: api.get("/api/v1/encounters/", {"patient": p.pk}),
    ),
    ("plan page", _plan, lambda plan: plan.patient, lambda web, api, o: web.get(f"/followup/plans/{o.pk}/")),
    (
        "plan API",
        _plan,
        lambda plan: plan.patient,
        lambda web, api, o: api.get(f"/api/v1/followup/plans/{o.pk}/"),
    ),
    (
        "touchpoint API",
        _call,
        lambda t: t.plan.patient,
        lambda web, api, o: api.get(f"/api/v1/followup/touchpoints/{o.pk}/"),
    ),
    ("call page", _call, lambda t: t.plan.patient, lambda web, api, o: web.get(f"/followup/calls/{o.pk}/")),
    (
        "customer file",
        _patient,
        lambda p: p,
        lambda web, api, p: web.get(f"/followup/customers/{p.pk}/"),
    ),
    (
        "complaint page",
        _complaint,
        lambda c: c.patient,
        lambda web, api, o: web.get(f"/desk/complaints/{o.pk}/"),
    ),
    (
        "complaint API",
        _complaint,
        lambda c: c.patient,
        lambda web, api, o: api.get(f"/api/v1/complaints/{o.pk}/"),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "find", "patient_of", "request_view"), PATHS, ids=[p[0] for p in PATHS])
def test_each_way_of_viewing_a_patient_writes_one_access_row(demo, name, find, patient_of, request_view):
    admin = get_user_model().objects.get(username="admin")
    web, api = Client(), APIClient()
    web.force_login(admin)
    api.force_authenticate(admin)
    obj = find()
    assert obj is not None, f"the demo has something for {name}"
    patient = patient_of(obj)
    before = PatientAccessLog.objects.filter(patient=patient, user=admin).count()
    response = request_view(web, api, obj)
    assert response.status_code == 200, (name, response.status_code)
    assert PatientAccessLog.objects.filter(patient=patient, user=admin).count() == before + 1, name
