"""Reading training: courses, sessions, attendance (scoped), the year's figures — sessions, attendance
(人次), hours per person against the target, pass rate, spend against the budget — and the mandatory
courses due for each person at a post."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carebridge.core.models import Staff
from carebridge.core.scope import restrict, scope_for
from carebridge.performance.models import Attendance, Course, PostAssignment, TrainingSession, TrainingYear

REMIND_AHEAD = dt.timedelta(days=30)


def course_list(*, user: Any) -> QuerySet[Course]:
    return (
        restrict(Course.objects.all(), user)
        .prefetch_related("mandatory_for")
        .annotate(sessions_count=Count("sessions"))
        .order_by("code", "id")
    )


def session_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[TrainingSession]:
    """Filters: ``year``, ``course`` (id)."""
    filters = filters or {}
    rows = restrict(TrainingSession.objects.all(), user).select_related("course")
    if filters.get("year"):
        rows = rows.filter(held_on__year=int(filters["year"]))
    if filters.get("course"):
        rows = rows.filter(course_id=int(filters["course"]))
    return rows.annotate(
        attendance_count=Count("attendances"),
        passed_count=Count("attendances", filter=Q(attendances__passed=True)),
    ).order_by("-held_on", "-id")


def session_get(*, user: Any, pk: int) -> TrainingSession:
    return get_object_or_404(restrict(TrainingSession.objects.all(), user).select_related("course"), pk=pk)


def attendance_list(*, user: Any, filters: dict[str, Any] | None = None) -> QuerySet[Attendance]:
    """Filters: ``session``, ``staff``, ``year``, ``passed`` (``1``/``0``)."""
    filters = filters or {}
    rows = restrict(Attendance.objects.all(), user).select_related(
        "session__course", "staff__home_department"
    )
    if filters.get("session"):
        rows = rows.filter(session_id=int(filters["session"]))
    if filters.get("staff"):
        rows = rows.filter(staff_id=int(filters["staff"]))
    if filters.get("year"):
        rows = rows.filter(session__held_on__year=int(filters["year"]))
    if filters.get("passed") in ("1", "0"):
        rows = rows.filter(passed=filters["passed"] == "1")
    return rows.order_by("-session__held_on", "staff__name", "id")


def staff_in_scope(user: Any, *, active_only: bool = True) -> QuerySet[Staff]:
    """Staff (active ones unless ``active_only`` is false) of the user's hospital whose home department
    is in the user's scope."""
    scope = scope_for(user)
    rows = Staff.objects.filter(is_active=True) if active_only else Staff.objects.all()
    if scope.is_empty:
        return rows.none()
    return scope.filter(rows, hospital="hospital", department="home_department").select_related(
        "home_department"
    )


@dataclass
class PersonHours:
    staff: Staff
    hours: Decimal
    target: Decimal | None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.hours >= self.target


@dataclass
class TrainingYearFigures:
    year: int
    sessions: int
    attendances: int  # 人次
    hours: Decimal
    people: int
    scored: int
    passed: int
    spend: Decimal
    budget: Decimal | None
    target: Decimal | None
    persons: list[PersonHours] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.scored if self.scored else None

    @property
    def hours_per_person(self) -> Decimal | None:
        return (self.hours / len(self.persons)).quantize(Decimal("0.1")) if self.persons else None

    @property
    def budget_used(self) -> float | None:
        return float(self.spend / self.budget) if self.budget else None


def trainees(user: Any, year: int) -> QuerySet[Staff]:
    """The people the hours target is for: staff in scope who held a desk post during the year, or
    attended training in it."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    posted = Q(post_assignments__planned=False, post_assignments__starts_on__lte=end) & (
        Q(post_assignments__ends_on__isnull=True) | Q(post_assignments__ends_on__gte=start)
    )
    trained = Q(training_attendances__session__held_on__year=year)
    return staff_in_scope(user).filter(posted | trained).distinct().order_by("name", "id")


def training_year(*, user: Any, year: int) -> TrainingYearFigures:
    """The year's training figures over the rows the user may see (every number is a count or sum of
    :func:`attendance_list` / :func:`session_list` rows for the year)."""
    sessions = session_list(user=user, filters={"year": year})
    attendances = attendance_list(user=user, filters={"year": year})
    totals = attendances.aggregate(
        n=Count("id"),
        hours=Sum("hours"),
        people=Count("staff", distinct=True),
        scored=Count("id", filter=Q(passed__isnull=False)),
        passed=Count("id", filter=Q(passed=True)),
    )
    spend = (
        restrict(TrainingSession.objects.all(), user).filter(held_on__year=year).aggregate(s=Sum("cost"))["s"]
    )
    plan = restrict(TrainingYear.objects.all(), user).filter(year=year).first()
    by_person = dict(attendances.order_by().values_list("staff_id").annotate(h=Sum("hours")))
    target = plan.hours_target if plan else None
    persons = [PersonHours(s, by_person.get(s.pk) or Decimal(0), target) for s in trainees(user, year)]
    return TrainingYearFigures(
        year=year,
        sessions=sessions.count(),
        attendances=totals["n"],
        hours=totals["hours"] or Decimal(0),
        people=totals["people"],
        scored=totals["scored"],
        passed=totals["passed"],
        spend=spend or Decimal(0),
        budget=plan.budget if plan else None,
        target=target,
        persons=persons,
    )


@dataclass(frozen=True)
class DueCourse:
    staff: Staff
    course: Course
    last: dt.date | None
    due: dt.date

    @property
    def overdue(self) -> bool:
        return self.due < timezone.localdate()


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def mandatory_due(*, user: Any, today: dt.date | None = None, staff: Staff | None = None) -> list[DueCourse]:
    """Mandatory courses of each person's current post that are due within 30 days (or overdue): never
    passed, or passed longer ago than the course's repeat interval."""
    people = staff_in_scope(user)
    if staff is not None:
        people = people.filter(pk=staff.pk)
    return courses_due(people=people, today=today or timezone.localdate())


def courses_due(*, people: QuerySet[Staff], today: dt.date) -> list[DueCourse]:
    """The mandatory courses due for ``people`` (unscoped: the caller chose the people)."""
    current = (
        PostAssignment.objects.filter(staff__in=people, planned=False, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("staff__home_department", "post")
        .prefetch_related("post__mandatory_courses")
    )
    done: dict[tuple[int, int], dt.date] = {}
    for staff_id, course_id, held_on in (
        Attendance.objects.filter(staff__in=people)
        .filter(Q(passed=True) | Q(passed__isnull=True, session__course__pass_mark__isnull=True))
        .values_list("staff_id", "session__course_id", "session__held_on")
    ):
        key = (staff_id, course_id)
        done[key] = max(done.get(key, held_on), held_on)
    due: list[DueCourse] = []
    for assignment in current:
        for course in assignment.post.mandatory_courses.all():
            if not course.is_active:
                continue
            last = done.get((assignment.staff_id, course.pk))
            when = _add_months(last, course.renew_months) if last else assignment.starts_on
            if when <= today + REMIND_AHEAD:
                due.append(DueCourse(assignment.staff, course, last, when))
    return sorted(due, key=lambda d: (d.due, d.staff.name, d.course.code))


def certificates(*, user: Any, staff: Staff) -> QuerySet[Attendance]:
    """The courses a person passed (the certificates listed on the staff profile)."""
    return attendance_list(user=user, filters={"staff": staff.pk}).filter(passed=True)
