"""A focus group's notes are coded into the comment topics by the same coder as the survey comments, and
shown beside the survey comments' topics of the same dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.core.tests.factories import StaffFactory
from carebridge.insights.selectors.qualitative import coded_points, topic_comparison
from carebridge.lib.stats.text import analyze_comment
from carebridge.surveys.services.qualitative import session_record

pytestmark = pytest.mark.django_db
NOTES = ["等候时间太长，排队两个小时", "护士态度很好", "停车太难了"]


@pytest.fixture
def focus_group(hospital, paediatrics):
    held_on = timezone.localdate() - dt.timedelta(days=3)
    return session_record(
        hospital=hospital, kind="focus_group", group="families", held_on=held_on,
        title="儿科家属座谈", facilitator=StaffFactory(hospital=hospital), notes="\n".join(NOTES),
        participants=6, department=paediatrics, actor=None,
    )  # fmt: skip


def test_each_point_gets_the_topics_the_survey_coder_gives_it(focus_group):
    points = coded_points(focus_group)
    assert len(points) == len(NOTES)
    for point, text in zip(points, NOTES, strict=True):
        assert point["polarity"] == analyze_comment(text).polarity
        assert len(point["topics"]) == len(analyze_comment(text).topics)


def test_the_page_sets_session_topics_beside_survey_topics(focus_group, quality_officer_qian, client):
    today = timezone.localdate()
    result = topic_comparison(user=quality_officer_qian, start=today - dt.timedelta(days=30), end=today)
    expected = {t for text in NOTES for t in analyze_comment(text).topics}
    assert {r.topic for r in result["rows"] if r.sessions.n} == expected
    assert result["points"] == len(NOTES) and result["comments"] == 0
    assert all(r.only_in_sessions for r in result["rows"])  # no survey comment yet
    client.force_login(quality_officer_qian)
    page = client.get(reverse("insights:qualitative")).content.decode()
    for topic in expected:
        assert f'data-topic="{topic}"' in page
    session_page = client.get(reverse("insights:qualitative_session", args=[focus_group.pk]))
    assert session_page.status_code == 200 and "停车太难了" in session_page.content.decode()
