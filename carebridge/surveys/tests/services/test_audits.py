"""Mystery-patient audits: a visit is scored on the round's weighted checklist; results by department and
service point; bad answers are refused; the API lists rounds with their results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from carebridge.surveys.models import AuditVisit
from carebridge.surveys.services.audits import audit_round_create, audit_visit_record

pytestmark = pytest.mark.django_db
CHECKLIST = [
    {"code": "greet", "text": "主动问候", "weight": 1},
    {"code": "explain", "text": "解释检查流程", "weight": 2},
    {"code": "privacy", "text": "保护隐私", "weight": 1},
]


@pytest.fixture
def audit_round(hospital):
    today = timezone.localdate()
    return audit_round_create(
        hospital=hospital,
        name="第一轮暗访",
        starts_on=today - dt.timedelta(days=7),
        ends_on=today,
        checklist=CHECKLIST,
        actor=None,
    )


def test_visits_are_scored_by_weight_and_grouped(
    audit_round, paediatrics, cardiology, api_client, quality_officer_qian
):
    now = timezone.now()
    for department, point, answers in (
        (paediatrics, "挂号窗口", {"greet": True, "explain": True, "privacy": True}),  # 4/4 = 100
        (paediatrics, "护士站", {"greet": True, "explain": False, "privacy": True}),  # 2/4 = 50
        (cardiology, "挂号窗口", {"greet": False, "explain": True, "privacy": False}),  # 2/4 = 50
    ):
        audit_visit_record(
            audit_round=audit_round,
            department=department,
            service_point=point,
            visited_at=now,
            auditor="MP-01",
            answers=answers,
            actor=None,
        )
    assert sorted(AuditVisit.objects.values_list("score", flat=True)) == [50.0, 50.0, 100.0]
    results = (
        api_client(quality_officer_qian).get(f"/api/v1/surveys/audits/{audit_round.pk}/").json()["results"]
    )
    assert {g["label"]: (g["n"], g["mean"]) for g in results["by_department"]} == {
        "儿科": (2, 75.0),
        "心血管内科": (1, 50.0),
    }
    assert {g["label"]: g["mean"] for g in results["by_point"]} == {"挂号窗口": 75.0, "护士站": 50.0}
    assert [(i["code"], i["met"]) for i in results["items"]] == [("greet", 2), ("explain", 2), ("privacy", 2)]


def test_an_incomplete_checklist_is_refused(audit_round, paediatrics):
    with pytest.raises(ValidationError) as error:
        audit_visit_record(
            audit_round=audit_round,
            department=paediatrics,
            service_point="护士站",
            visited_at=timezone.now(),
            auditor="MP-01",
            answers={"greet": True},
            actor=None,
        )
    assert "answers" in error.value.message_dict and not AuditVisit.objects.exists()
