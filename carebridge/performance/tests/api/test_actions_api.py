"""The improvement-action API: filters by source, status and department, scope, writes through the
services with field errors for bad input, and the Excel export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from carebridge.performance.choices import ActionSource
from carebridge.performance.models import ImprovementAction
from carebridge.performance.services.actions import action_create

pytestmark = pytest.mark.django_db
URL = "/api/v1/performance/actions/"


@pytest.fixture
def actions(head_he, nurse_owner, paediatrics, cardiology, hospital):
    from carebridge.core.tests.factories import StaffFactory

    due = timezone.localdate() + dt.timedelta(days=10)
    other_owner = StaffFactory(hospital=hospital, name="王医生", home_department=cardiology)
    return [
        action_create(department=paediatrics, title="礼仪培训", owner=nurse_owner, due_date=due,
                      source=ActionSource.COMPLAINT, actor=head_he),
        action_create(department=paediatrics, title="缩短候诊 13812345678", owner=nurse_owner, due_date=due,
                      source=ActionSource.KPI, actor=head_he),
        action_create(department=cardiology, title="心内宣教", owner=other_owner, due_date=due,
                      source=ActionSource.COMPLAINT, actor=None),
    ]  # fmt: skip


def test_filters_and_scope(api_client, head_he, quality_officer_qian, actions, paediatrics):
    mine = api_client(head_he).get(URL).json()
    assert sorted(row["title"] for row in mine["results"]) == ["礼仪培训", "缩短候诊 138****5678"]
    everyone = api_client(quality_officer_qian)
    assert len(everyone.get(URL).json()["results"]) == 3
    assert [r["title"] for r in everyone.get(URL, {"source": "kpi"}).json()["results"]] == [
        "缩短候诊 138****5678"
    ]
    assert len(everyone.get(URL, {"department": paediatrics.pk, "status": "plan"}).json()["results"]) == 2
    assert everyone.get(URL, {"status": "nonsense"}).status_code == 400


def test_create_move_and_bad_input(api_client, head_he, nurse_owner, paediatrics, cardiology):
    client = api_client(head_he)
    body = {
        "title": "候诊区引导",
        "department": paediatrics.pk,
        "owner": nurse_owner.pk,
        "due_date": (timezone.localdate() + dt.timedelta(days=5)).isoformat(),
        "source": "daily_sync",
    }
    created = client.post(URL, body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "plan"
    moved = client.post(f"{URL}{created.json()['id']}/move/", {"to": "doing"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "doing"
    assert client.post(f"{URL}{created.json()['id']}/move/", {"to": "done"}, format="json").status_code == 400
    outside = client.post(URL, {**body, "department": cardiology.pk}, format="json")
    assert outside.status_code == 400 and "department" in outside.json()
    past = client.post(URL, {**body, "due_date": "2020-01-01"}, format="json")
    assert past.status_code == 400 and "due_date" in past.json()
    assert ImprovementAction.objects.count() == 1


def test_export_and_outsider(api_client, head_he, outsider, actions):
    response = api_client(head_he).get(f"{URL}export/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert api_client(outsider).get(URL).status_code == 403
