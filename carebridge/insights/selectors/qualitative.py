"""Interviews and focus groups coded into the comment topics (评论主题) the survey comments are coded into:
the same coder (``lib/stats/text.analyze_comments``, jieba and the hospital lexicons) reads each point of
the notes, so a topic raised in a focus group stands beside the same topic in the survey comments of the
same months. Every text shown is masked (``mask_comment``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.insights.domain.analysis.comments import TOPIC_LABELS, mask_comment
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION, responses_visible
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.text import analyze_comment, analyze_comments
from carebridge.surveys.domain.instruments import iter_items
from carebridge.surveys.models import QualitativeSession

# The survey comments read beside the sessions: the newest this many responses of the period.
SURVEY_COMMENTS_READ = 3000


@dataclass
class TopicCount:
    n: int = 0
    positive: int = 0
    negative: int = 0


@dataclass
class TopicRow:
    topic: str
    label: str
    sessions: TopicCount = field(default_factory=TopicCount)
    survey: TopicCount = field(default_factory=TopicCount)

    @property
    def only_in_sessions(self) -> bool:
        """Raised in interviews or focus groups but in no survey comment: what questionnaires miss."""
        return self.sessions.n > 0 and self.survey.n == 0


def topic_label(topic: str) -> str:
    return str(TOPIC_LABELS.get(topic, topic))


def coded_points(session: QualitativeSession) -> list[dict[str, Any]]:
    """Each point of a session's notes with its topics (labels) and polarity, masked."""
    points = []
    for text in session.points():
        result = analyze_comment(text)
        points.append(
            {
                "text": mask_comment(text),
                "topics": [topic_label(t) for t in result.topics],
                "polarity": result.polarity,
            }
        )
    return points


def _counts(texts: list[str]) -> dict[str, TopicCount]:
    if not texts:
        return {}
    try:
        summary = analyze_comments(texts, examples=0)
    except StatsInputError:
        return {}
    return {
        str(topic): TopicCount(int(row["n"]), int(row["positive"]), int(row["negative"]))
        for topic, row in summary.topics.iterrows()
        if row["n"]
    }


def survey_comment_texts(*, user: Actor, start: dt.date, end: dt.date) -> list[str]:
    """The free-text answers of the responses the user may analyse, submitted in ``[start, end]``."""
    rows = (
        responses_visible(user=user)
        .filter(submitted_at__date__gte=start, submitted_at__date__lte=end)
        .select_related("version")
        .order_by("-submitted_at", "-id")[:SURVEY_COMMENTS_READ]
    )
    text_codes: dict[int, list[str]] = {}
    texts = []
    for response in rows:
        codes = text_codes.get(response.version_id)
        if codes is None:
            codes = [s.code for s in iter_items(response.version.definition) if s.item_type == "text"]
            text_codes[response.version_id] = codes
        for code in codes:
            value = (response.answers or {}).get(code)
            if isinstance(value, str) and value.strip():
                texts.append(value.strip())
    return texts


def sessions_in(*, user: Actor, start: dt.date, end: dt.date) -> QuerySet[QualitativeSession]:
    """The sessions whose points the user may see coded: those of the user's scope, for anyone who may
    analyse the surveys (leaders included: they see counts per topic, not the notes)."""
    rows = restrict(
        QualitativeSession.objects.select_related("department", "facilitator"),
        user,
        permission=ANALYSE_PERMISSION,
    )
    return rows.filter(held_on__gte=start, held_on__lte=end).order_by("-held_on", "-id")


def topic_comparison(*, user: Actor, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Per topic: points of the interviews and focus groups held in the period, and survey comments of the
    period, each with positive and negative counts. Topics ordered by sessions, then survey counts."""
    sessions = list(sessions_in(user=user, start=start, end=end))
    points = [p for s in sessions for p in s.points()]
    comments = survey_comment_texts(user=user, start=start, end=end)
    by_sessions, by_survey = _counts(points), _counts(comments)
    rows = [
        TopicRow(
            topic=t,
            label=topic_label(t),
            sessions=by_sessions.get(t, TopicCount()),
            survey=by_survey.get(t, TopicCount()),
        )
        for t in sorted(set(by_sessions) | set(by_survey))
    ]
    rows.sort(key=lambda r: (-r.sessions.n, -r.survey.n, r.topic))
    return {
        "sessions": sessions,
        "points": len(points),
        "comments": len(comments),
        "rows": rows,
    }
