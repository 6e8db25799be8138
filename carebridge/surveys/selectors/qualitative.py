"""Reading interviews, focus groups and expert-panel reviews (scoped through ``restrict()``), and the content
validity of a review (``lib/stats/cvi.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from carebridge.core.scope import restrict
from carebridge.lib.stats.cvi import ContentValidity, content_validity
from carebridge.lib.stats.errors import StatsInputError
from carebridge.surveys.models import ExpertRating, ExpertReview, QualitativeSession


def session_list(*, user: Any, kind: str = "") -> QuerySet[QualitativeSession]:
    rows = restrict(QualitativeSession.objects.select_related("department", "facilitator"), user)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-held_on", "-id")


def session_get(*, user: Any, pk: int) -> QualitativeSession:
    return get_object_or_404(session_list(user=user), pk=pk)


def review_list(*, user: Any) -> QuerySet[ExpertReview]:
    return (
        restrict(ExpertReview.objects.all(), user)
        .prefetch_related(Prefetch("ratings", queryset=ExpertRating.objects.order_by("id")))
        .order_by("-held_on", "-id")
    )


def review_get(*, user: Any, pk: int) -> ExpertReview:
    return get_object_or_404(review_list(user=user), pk=pk)


def review_validity(review: ExpertReview) -> ContentValidity | None:
    """I-CVI per item, S-CVI/Ave and S-CVI/UA of the ratings so far (``None`` before the first rating)."""
    ratings = list(review.ratings.all())
    if not ratings:
        return None
    try:
        return content_validity(
            {
                item["code"]: [r.ratings[item["code"]] for r in ratings if item["code"] in r.ratings]
                for item in review.items
            }
        )
    except StatsInputError:
        return None
