"""Computed KPIs of staff standards, training, activities and 双创 inspections (issue 16).

``findings_rectified_in_time`` — inspection findings whose deadline falls in the period and has passed (or
was met by a rectification): the share rectified on or before the deadline day. ``findings_late`` — the
same findings not rectified by their deadline (open after it, or rectified later): a finding left open
past its deadline shows in its department's scorecard for the month of its deadline. Department
scorecards count the findings of their departments.

``training_hours`` — training hours per person: hours attended in the period over the people who attended
or held a desk post in it. ``training_pass_rate`` — attendances with a result that passed.
``activities_held`` — activities held in the period (department scorecards: those the department organised).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebridge.core.models import Staff
from carebridge.performance.models import Activity, Attendance, Finding
from carebridge.performance.models.scorecards import KpiAggregation, KpiDirection, KpiUnit
from carebridge.performance.selectors.inspections import DONE, in_time_q, late_q
from carebridge.performance.selectors.kpis.registry import (
    KpiScope,
    KpiValue,
    count,
    mean,
    register_kpi,
    register_rate_kpi,
)


def _days(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date]:
    """The span's first and (exclusive) last day in hospital time."""
    return timezone.localdate(start), timezone.localdate(end)


def _findings(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Finding]:
    first, after = _days(start, end)
    today = timezone.localdate()
    rows = Finding.objects.filter(hospital_id=scope.hospital_id, deadline__gte=first, deadline__lt=after)
    rows = rows.filter(Q(deadline__lt=today) | Q(status__in=DONE)).filter(scope.departments("department"))
    if scope.user_id is not None:
        rows = rows.filter(responsible_id=scope.user_id)
    return rows.select_related("area", "department").order_by("deadline", "id")


_FINDING_COLUMNS = (
    (_("Department"), lambda f: f.department.name),
    (_("Area"), lambda f: f.area.name),
    (_("What was found"), lambda f: f.description[:60]),
    (_("Deadline"), lambda f: f"{f.deadline:%Y-%m-%d}"),
    (
        _("Rectified at"),
        lambda f: f"{timezone.localtime(f.rectified_at):%Y-%m-%d %H:%M}" if f.rectified_at else "—",
    ),
    (_("Status"), lambda f: f.get_status_display()),
)

register_rate_kpi(
    "findings_rectified_in_time",
    name=_("双创 findings rectified in time"),
    base=_findings,
    numerator=lambda scope: in_time_q(),
    definition=_(
        "Inspection findings whose deadline falls in the period and has passed (or was met): the share "
        "rectified on or before the deadline day."
    ),
    numerator_text=_("findings rectified by their deadline"),
    denominator_text=_("findings whose deadline fell in the period"),
    levels=frozenset({"hospital", "department", "centre"}),
    columns=_FINDING_COLUMNS,
    row_url=lambda f: f"/performance/findings/{f.pk}/",
)


def _late_rows(scope: KpiScope, start: dt.datetime, end: dt.datetime, part: str = "") -> QuerySet[Finding]:
    return _findings(scope, start, end).filter(late_q(timezone.localdate()))


@register_kpi(
    "findings_late",
    name=_("双创 findings not rectified by the deadline"),
    rows=_late_rows,
    unit=KpiUnit.COUNT,
    direction=KpiDirection.LOWER,
    aggregation=KpiAggregation.SUM,
    definition=_("Findings whose deadline fell in the period, still open after it or rectified later."),
    numerator_text=_("findings not rectified by their deadline"),
    levels=frozenset({"hospital", "department", "centre"}),
    columns=_FINDING_COLUMNS,
    row_url=lambda f: f"/performance/findings/{f.pk}/",
)
def findings_late(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> KpiValue:
    return count(_late_rows(scope, start, end).count())


def _attendances(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> QuerySet[Attendance]:
    first, after = _days(start, end)
    rows = Attendance.objects.filter(
        session__hospital_id=scope.hospital_id, session__held_on__gte=first, session__held_on__lt=after
    ).filter(scope.departments("staff__home_department"))
    if scope.staff_id is not None:
        rows = rows.filter(staff_id=scope.staff_id)
    return rows.select_related("session__course", "staff").order_by("session__held_on", "id")


_ATTENDANCE_COLUMNS: tuple[tuple[Any, Any], ...] = (
    (_("Date"), lambda a: f"{a.session.held_on:%Y-%m-%d}"),
    (_("Course"), lambda a: a.session.course.title),
    (_("Name"), lambda a: a.staff.name),
    (_("Hours"), lambda a: a.hours),
    (_("Score"), lambda a: a.score if a.score is not None else "—"),
)


def _trainees(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> int:
    first, after = _days(start, end)
    posted = Q(post_assignments__planned=False, post_assignments__starts_on__lt=after) & (
        Q(post_assignments__ends_on__isnull=True) | Q(post_assignments__ends_on__gte=first)
    )
    trained = Q(
        training_attendances__session__held_on__gte=first, training_attendances__session__held_on__lt=after
    )
    people = Staff.objects.filter(hospital_id=scope.hospital_id, is_active=True).filter(posted | trained)
    people = people.filter(scope.departments("home_department"))
    if scope.staff_id is not None:
        people = people.filter(pk=scope.staff_id)
    return people.distinct().count()


def _hours_rows(
    scope: KpiScope, start: dt.datetime, end: dt.datetime, part: str = ""
) -> QuerySet[Attendance]:
    return _attendances(scope, start, end)


@register_kpi(
    "training_hours",
    name=_("Training hours per person"),
    rows=_hours_rows,
    unit=KpiUnit.HOURS,
    direction=KpiDirection.HIGHER,
    aggregation=KpiAggregation.SUM,
    definition=_(
        "Hours of training attended in the period over the people who attended training or held a desk "
        "post in it."
    ),
    numerator_text=_("training hours attended"),
    denominator_text=_("people at desk posts or in training"),
    columns=_ATTENDANCE_COLUMNS,
)
def training_hours(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> KpiValue:
    hours = _attendances(scope, start, end).order_by().aggregate(h=Sum("hours"))["h"]
    return mean(hours or 0, _trainees(scope, start, end))


register_rate_kpi(
    "training_pass_rate",
    name=_("Training pass rate"),
    base=lambda scope, start, end: _attendances(scope, start, end).filter(passed__isnull=False),
    numerator=lambda scope: Q(passed=True),
    definition=_("Attendances in the period with an assessed result: the share that passed."),
    numerator_text=_("attendances passed"),
    denominator_text=_("attendances with a result"),
    columns=_ATTENDANCE_COLUMNS,
)


def _activities(scope: KpiScope, start: dt.datetime, end: dt.datetime, part: str = "") -> QuerySet[Activity]:
    first, after = _days(start, end)
    rows = Activity.objects.filter(hospital_id=scope.hospital_id, held_on__gte=first, held_on__lt=after)
    return rows.filter(scope.departments("organiser")).order_by("held_on", "id")


@register_kpi(
    "activities_held",
    name=_("Activities held"),
    rows=_activities,
    unit=KpiUnit.COUNT,
    direction=KpiDirection.HIGHER,
    aggregation=KpiAggregation.SUM,
    definition=_(
        "Health lectures, free clinics, welfare days, campaign tasks, media items and honours in the period."
    ),
    numerator_text=_("activities"),
    levels=frozenset({"hospital", "department", "centre"}),
    columns=(
        (_("Date"), lambda a: f"{a.held_on:%Y-%m-%d}"),
        (_("Type"), lambda a: a.get_kind_display()),
        (_("Title"), lambda a: a.title),
        (_("Attendees (人次)"), lambda a: a.attendees),
    ),
    row_url=lambda a: f"/performance/activities/{a.pk}/",
)
def activities_held(scope: KpiScope, start: dt.datetime, end: dt.datetime) -> KpiValue:
    return count(_activities(scope, start, end).order_by().aggregate(n=Count("pk"))["n"])


__all__ = ["activities_held", "findings_late", "training_hours"]
