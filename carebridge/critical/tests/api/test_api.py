"""API /api/v1/critical/: rules, notifications with search/status/class filters, claim, attempts; scoped;
bad input → 400 with field errors, nothing changed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from carebridge.checkup.tests.support.people import record
from carebridge.critical.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def notification(visit, staff_chen):
    record(visit, "HGB", "75", staff_chen)
    return Notification.objects.get()


def _client(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_rules_list_the_seed_set(notification, staff_chen):
    body = _client(staff_chen).get("/api/v1/critical/rules/").json()
    codes = [rule["code"] for rule in body["results"]] if "results" in body else [r["code"] for r in body]
    assert "HB-LOW" in codes and "WBC-LOW" in codes


def test_notifications_filter_by_class_status_and_search(notification, staff_chen):
    client = _client(staff_chen)

    def ids(**params):
        body = client.get("/api/v1/critical/notifications/", params).json()
        return [row["id"] for row in body.get("results", body)]

    assert ids(**{"class": "A"}) == [notification.pk]
    assert ids(**{"class": "B"}) == []
    assert ids(status="new") == [notification.pk]
    assert ids(search=notification.visit.number) == [notification.pk]
    assert ids(search="nobody") == []
    bad = client.get("/api/v1/critical/notifications/", {"class": "Z"})
    assert bad.status_code == 400 and "class" in bad.json()


def test_claim_then_attempts_close_with_read_back(notification, staff_chen, staff_lin):
    client = _client(staff_chen)
    claimed = client.post(f"/api/v1/critical/notifications/{notification.pk}/claim/")
    assert claimed.status_code == 200 and claimed.json()["claimed_by_me"] is True
    assert (
        _client(staff_lin).post(f"/api/v1/critical/notifications/{notification.pk}/claim/").status_code == 400
    )
    incomplete = client.post(
        f"/api/v1/critical/notifications/{notification.pk}/attempts/",
        {"step": "person", "outcome": "read_back", "number": "13912345678"},
        format="json",
    )
    assert incomplete.status_code == 400 and "answered_by" in incomplete.json()
    done = client.post(
        f"/api/v1/critical/notifications/{notification.pk}/attempts/",
        {
            "step": "person",
            "outcome": "read_back",
            "number": "13912345678",
            "answered_by": "本人",
            "read_back": "Hb 75",
            "advice": "复查",
        },
        format="json",
    )
    assert done.status_code == 201 and done.json()["number"] == "139****5678"
    listed = client.get(f"/api/v1/critical/notifications/{notification.pk}/attempts/").json()
    assert [a["outcome"] for a in listed] == ["read_back"]
    assert client.get(f"/api/v1/critical/notifications/{notification.pk}/").json()["status"] == "read_back"


def test_an_outsider_gets_nothing(notification, clinician_zhou):
    client = _client(clinician_zhou)
    body = client.get("/api/v1/critical/notifications/").json()
    assert body.get("results", body) == []
    assert client.post(f"/api/v1/critical/notifications/{notification.pk}/claim/").status_code == 404
