"""Recording the methods beyond questionnaires on the pages and through the API: the quality office records
a focus group (its notes then shown coded into the comment topics), opens an expert-panel review with its
items, and enters each expert's ratings, after which the page shows the I-CVI and S-CVI. Bad input changes
nothing (400), a department head may read but not record (403), a department of another hospital is refused
(403), and the API answers masked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from carebridge.core.tests.factories import DepartmentFactory, HospitalFactory, make_persona
from carebridge.surveys.models import ExpertRating, ExpertReview, QualitativeSession

pytestmark = pytest.mark.django_db


def _zh(message):
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def head(hospital, cardiology):
    return make_persona("head", "dept_head", hospital, departments=[cardiology])


def _session_post(officer, department, **changes):
    return {
        "kind": "focus_group",
        "group": "families",
        "title": "儿科家属焦点小组",
        "held_on": timezone.localdate().isoformat(),
        "department": department.pk,
        "facilitator": officer.staff.pk,
        "participants": "6",
        "guide": "",
        "notes": "护士态度很好，解释耐心\n等候时间太长，排队两个小时",
        **changes,
    }


def test_a_focus_group_is_recorded_and_shown_coded(client, quality_officer_qian, paediatrics, head):
    client.force_login(quality_officer_qian)
    assert b'id="session-new"' in client.get(reverse("surveys:sessions")).content
    assert client.get(reverse("surveys:session_new")).status_code == 200
    refused = client.post(
        reverse("surveys:session_new"), _session_post(quality_officer_qian, paediatrics, notes="", group="x")
    )
    assert refused.status_code == 400 and not QualitativeSession.objects.exists()
    future = client.post(
        reverse("surveys:session_new"),
        _session_post(quality_officer_qian, paediatrics, held_on="2999-01-01"),
    )
    assert future.status_code == 400 and _zh("The date is in the future.") in future.content.decode()
    response = client.post(reverse("surveys:session_new"), _session_post(quality_officer_qian, paediatrics))
    session = QualitativeSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:qualitative_session", args=[session.pk])
    assert session.points() == ["护士态度很好，解释耐心", "等候时间太长，排队两个小时"]
    assert session.group == "families" and session.department == paediatrics

    client.force_login(head)
    assert client.get(reverse("surveys:session_new")).status_code == 403
    assert b'id="session-new"' not in client.get(reverse("surveys:sessions")).content


def test_a_review_is_opened_and_each_expert_enters_ratings(client, quality_officer_qian, head):
    client.force_login(quality_officer_qian)
    assert b'id="review-new"' in client.get(reverse("surveys:reviews")).content
    empty = client.post(
        reverse("surveys:review_new"), {"title": "问卷评议", "held_on": "2026-03-01", "items": "\n \n"}
    )
    assert empty.status_code == 400 and not ExpertReview.objects.exists()
    twice = client.post(
        reverse("surveys:review_new"),
        {"title": "问卷评议", "held_on": "2026-03-01", "items": "q1 | 护士解释用药\nq1 | 病房安静"},
    )
    assert twice.status_code == 400 and not ExpertReview.objects.exists()
    opened = client.post(
        reverse("surveys:review_new"),
        {
            "title": "问卷评议",
            "subject": "出院问卷",
            "held_on": "2026-03-01",
            "items": "q1 | 护士解释用药\n病房安静",
        },
    )
    review = ExpertReview.objects.get()
    assert opened.status_code == 302 and opened["Location"] == reverse("surveys:review", args=[review.pk])
    assert review.items == [{"code": "q1", "text": "护士解释用药"}, {"code": "2", "text": "病房安静"}]

    rate = reverse("surveys:review_rate", args=[review.pk])
    page = client.get(reverse("surveys:review", args=[review.pk])).content.decode()
    assert 'id="rating-form"' in page and 'name="item_1"' in page
    missing = client.post(rate, {"expert": "张教授", "item_0": "4"})
    assert missing.status_code == 400 and not ExpertRating.objects.exists()
    out_of_scale = client.post(rate, {"expert": "张教授", "item_0": "5", "item_1": "3"})
    assert out_of_scale.status_code == 400 and not ExpertRating.objects.exists()
    for expert, first, second in (("张教授", "4", "3"), ("王主任", "3", "2")):
        assert client.post(rate, {"expert": expert, "item_0": first, "item_1": second}).status_code == 302
    again = client.post(rate, {"expert": "张教授", "item_0": "4", "item_1": "4"})
    assert again.status_code == 400
    assert _zh("This expert has already rated the items.") in again.content.decode()
    page = client.get(reverse("surveys:review", args=[review.pk])).content.decode()
    assert '<tr data-code="q1">' in page and '<td class="text-end i-cvi">1.00</td>' in page
    assert '<td class="text-end i-cvi">0.50</td>' in page and "S-CVI/Ave <strong>0.75</strong>" in page

    client.force_login(head)
    assert client.get(reverse("surveys:review_new")).status_code == 403
    assert client.post(rate, {"expert": "李", "item_0": "4", "item_1": "4"}).status_code == 403
    assert ExpertRating.objects.count() == 2


def test_the_api_records_sessions_and_reviews_in_scope_and_masked(
    api_client, quality_officer_qian, paediatrics, head
):
    client = api_client(quality_officer_qian)
    body = {
        "kind": "interview",
        "group": "staff",
        "held_on": timezone.localdate().isoformat(),
        "title": "护士访谈",
        "department": paediatrics.pk,
        "facilitator": quality_officer_qian.staff.pk,
        "notes": "患者家属电话 13812345678 多次投诉",
    }
    created = client.post("/api/v1/surveys/qualitative/", body, format="json")
    assert created.status_code == 201, created.json()
    assert "13812345678" not in created.json()["notes"] and created.json()["department"] == paediatrics.pk
    other = DepartmentFactory(hospital=HospitalFactory(), code="X1", name="外院科室")
    assert (
        client.post(
            "/api/v1/surveys/qualitative/", {**body, "department": other.pk}, format="json"
        ).status_code
        == 403
    )
    bad = client.post(
        "/api/v1/surveys/qualitative/", {**body, "kind": "chat", "participants": 0}, format="json"
    )
    assert bad.status_code == 400 and {"kind", "participants"} <= set(bad.json())
    assert api_client(head).post("/api/v1/surveys/qualitative/", body, format="json").status_code == 403
    assert QualitativeSession.objects.count() == 1

    review = {
        "title": "评议",
        "held_on": "2026-03-01",
        "items": [{"code": "a", "text": "甲"}, {"code": "b", "text": "乙"}],
    }
    dup = client.post(
        "/api/v1/surveys/expert-reviews/",
        {**review, "items": [{"code": "a", "text": "甲"}] * 2},
        format="json",
    )
    assert dup.status_code == 400 and "items" in dup.json()
    opened = client.post("/api/v1/surveys/expert-reviews/", review, format="json")
    assert opened.status_code == 201 and opened.json()["validity"] is None
    url = f"/api/v1/surveys/expert-reviews/{opened.json()['id']}/rate/"
    assert client.post(url, {"expert": "张", "ratings": {"a": 5, "b": 4}}, format="json").status_code == 400
    assert client.post(url, {"expert": "张", "ratings": {"a": 4}}, format="json").status_code == 400
    rated = client.post(url, {"expert": "张", "ratings": {"a": 4, "b": 1}}, format="json")
    assert rated.status_code == 200 and rated.json()["validity"]["s_cvi_ave"] == 0.5
    assert (
        api_client(head).post(url, {"expert": "王", "ratings": {"a": 4, "b": 4}}, format="json").status_code
        == 403
    )
    assert api_client(head).post("/api/v1/surveys/expert-reviews/", review, format="json").status_code == 403
