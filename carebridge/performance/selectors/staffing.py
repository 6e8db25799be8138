"""Reading staff standards: the staff list and profile (posts, admission assessments, rotation history
and plan, certificates, hours), post coverage per week and who is due to rotate."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carebridge.core.models import Staff
from carebridge.core.scope import restrict
from carebridge.performance.models import (
    AdmissionAssessment,
    AdmissionScore,
    Attendance,
    Post,
    PostAssignment,
)
from carebridge.performance.selectors.training import staff_in_scope

ROTATE_AFTER_DAYS = 182  # a person at one post for half a year is due to move (configurable later)


def staff_list(*, user: Any, search: str = "") -> QuerySet[Staff]:
    """Staff in scope who hold or held a desk post, were assessed for admission or attended training."""
    if not user.has_perm("performance.view_postassignment"):
        return Staff.objects.none()
    # Former staff keep their profile: the rotation history and the findings still link to it.
    rows = staff_in_scope(user, active_only=False).filter(
        Exists(PostAssignment.objects.filter(staff=OuterRef("pk")))
        | Exists(AdmissionAssessment.objects.filter(staff=OuterRef("pk")))
        | Exists(Attendance.objects.filter(staff=OuterRef("pk")))
    )
    if search:
        rows = rows.filter(name__icontains=search.strip())
    return rows.order_by("name", "id")


def staff_get(*, user: Any, pk: int) -> Staff:
    return get_object_or_404(staff_list(user=user), pk=pk)


def assignments_of(*, user: Any, staff: Staff) -> QuerySet[PostAssignment]:
    return (
        restrict(PostAssignment.objects.filter(staff=staff), user)
        .select_related("post", "shift")
        .order_by("starts_on", "id")
    )


def assessments_of(*, user: Any, staff: Staff) -> QuerySet[AdmissionAssessment]:
    return (
        restrict(AdmissionAssessment.objects.filter(staff=staff), user)
        .select_related("assessor__staff")
        .prefetch_related(Prefetch("scores", queryset=AdmissionScore.objects.select_related("criterion")))
        .order_by("-assessed_on", "-id")
    )


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Coverage:
    post: Post
    weeks: list[tuple[dt.date, int, bool]]  # (Monday, people, below the post's minimum)


def post_coverage(*, user: Any, start: dt.date | None = None, weeks: int = 8) -> list[Coverage]:
    """People at each post per week (actual and planned assignments covering any day of the week)."""
    monday = _monday(start or timezone.localdate())
    posts = list(restrict(Post.objects.filter(is_active=True), user).order_by("code", "id"))
    end = monday + dt.timedelta(weeks=weeks)
    assignments = list(
        restrict(PostAssignment.objects.all(), user)
        .filter(starts_on__lt=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=monday))
        .values_list("post_id", "staff_id", "starts_on", "ends_on")
    )
    result = []
    for post in posts:
        cells = []
        for week in range(weeks):
            first = monday + dt.timedelta(weeks=week)
            last = first + dt.timedelta(days=6)
            people = {
                staff
                for post_id, staff, starts, ends in assignments
                if post_id == post.pk and starts <= last and (ends is None or ends >= first)
            }
            cells.append((first, len(people), len(people) < post.minimum_staff))
        result.append(Coverage(post, cells))
    return result


def due_to_rotate(*, user: Any, today: dt.date | None = None) -> QuerySet[PostAssignment]:
    """Current assignments held for longer than the rotation period by people with no move planned."""
    today = today or timezone.localdate()
    planned = PostAssignment.objects.filter(planned=True, starts_on__gt=today).values("staff_id")
    return (
        restrict(PostAssignment.objects.all(), user)
        .filter(
            planned=False, ends_on__isnull=True, starts_on__lte=today - dt.timedelta(days=ROTATE_AFTER_DAYS)
        )
        .exclude(staff_id__in=planned)
        .select_related("staff", "post")
        .order_by("starts_on", "id")
    )


def rotation_plan(*, user: Any, today: dt.date | None = None) -> QuerySet[PostAssignment]:
    today = today or timezone.localdate()
    return (
        restrict(PostAssignment.objects.filter(planned=True, starts_on__gte=today), user)
        .select_related("staff", "post", "shift")
        .order_by("starts_on", "id")
    )
