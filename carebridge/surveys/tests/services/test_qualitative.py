"""Interviews, focus groups and expert-panel reviews: recorded through the services, refused when
incomplete, read through the scoped pages and API (notes masked), a review's content validity computed from
the experts' ratings (the worked example of ``lib/tests/stats/test_cvi.py``'s first table, two items)."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from carebridge.core.tests.factories import StaffFactory
from carebridge.surveys.services.qualitative import review_create, review_rate, session_record

pytestmark = pytest.mark.django_db

# Items 6 and 9 of PMC7253559 Table 4, six experts: I-CVI 0.83 each; no item with universal agreement.
ITEM_6 = [2, 3, 4, 3, 3, 4]
ITEM_9 = [3, 3, 4, 2, 3, 4]


@pytest.fixture
def review(hospital):
    review = review_create(
        hospital=hospital,
        title="出院满意度问卷专家评议",
        subject="出院患者满意度问卷 v2",
        items=[{"code": "q6", "text": "护士解释用药"}, {"code": "q9", "text": "=病房安静程度"}],
        held_on=timezone.localdate(),
        actor=None,
    )
    for n, (six, nine) in enumerate(zip(ITEM_6, ITEM_9, strict=True), start=1):
        review_rate(review=review, expert=f"专家{n}", ratings={"q6": six, "q9": nine}, actor=None)
    return review


def test_a_review_reports_item_and_scale_validity_on_its_page_and_api(
    review, client, quality_officer_qian, api_client
):
    client.force_login(quality_officer_qian)
    page = client.get(reverse("surveys:review", args=[review.pk])).content.decode()
    assert 'data-code="q6"' in page and '<td class="text-end i-cvi">0.83</td>' in page
    assert "S-CVI/UA <strong>0.00</strong>" in page and "S-CVI/Ave <strong>0.83</strong>" in page
    body = api_client(quality_officer_qian).get(f"/api/v1/surveys/expert-reviews/{review.pk}/").json()
    assert body["validity"]["s_cvi_ave"] == pytest.approx(5 / 6, abs=1e-4)
    assert [i["agreeing"] for i in body["validity"]["items"]] == [5, 5]
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("surveys:review", args=[review.pk]) + "?format=xlsx").content)
    ).active
    texts = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "'=病房安静程度" in texts  # a formula-like cell is escaped


def test_ratings_must_cover_every_item_on_the_four_point_scale_once_per_expert(review):
    with pytest.raises(ValidationError) as refused:
        review_rate(review=review, expert="专家7", ratings={"q6": 5}, actor=None)
    assert "ratings" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        review_rate(review=review, expert="专家1", ratings={"q6": 4, "q9": 4}, actor=None)
    assert "expert" in refused.value.message_dict


def test_sessions_are_scoped_masked_and_exported(hospital, quality_officer_qian, api_client, client, request):
    paediatrics, cardiology = request.getfixturevalue("paediatrics"), request.getfixturevalue("cardiology")
    facilitator = StaffFactory(hospital=hospital, name="客服部钱")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    session_record(
        hospital=hospital, kind="focus_group", group="families", held_on=yesterday, title="儿科家属座谈",
        facilitator=facilitator, notes="等候时间太长\n家长电话13912345678没人回", participants=8,
        department=paediatrics, actor=None,
    )  # fmt: skip
    session_record(
        hospital=hospital, kind="interview", group="staff", held_on=yesterday, title="心内科护士访谈",
        facilitator=facilitator, notes="夜班人手不足", department=cardiology, actor=None,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        session_record(
            hospital=hospital, kind="survey", group="families", held_on=yesterday, title="x",
            facilitator=facilitator, notes="", actor=None,
        )  # fmt: skip
    rows = api_client(quality_officer_qian).get("/api/v1/surveys/qualitative/?kind=focus_group").json()
    rows = rows.get("results", rows)
    assert [r["title"] for r in rows] == ["儿科家属座谈"] and "13912345678" not in rows[0]["notes"]
    client.force_login(quality_officer_qian)
    export = client.get(reverse("surveys:sessions") + "?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert sheet.max_row == 3
