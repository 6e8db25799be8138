"""The demo step on a small demo hospital: a year of training and rotations, lectures, two health-day
free clinics with people screened through the checkup results, weekly inspections with some findings
overdue and escalated, media items — and the yearly figures add up over their rows."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from carebridge.checkup.models import Result
from carebridge.core.demo.steps import DemoContext, steps
from carebridge.performance.choices import ActivityKind, FindingStatus
from carebridge.performance.models import (
    Activity,
    Attendance,
    Finding,
    PostAssignment,
    Screening,
    TrainingSession,
)
from carebridge.performance.selectors.activities import yearly_summary
from carebridge.performance.selectors.inspections import head_findings

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        context = DemoContext(
            seed=16, as_of=timezone.localdate() - dt.timedelta(days=1), patients=60,
            rng=random.Random(16), log=lambda _line: None,  # noqa: S311 - demo data
        )  # fmt: skip
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            for _order, _name, step in steps():
                step(context)
        yield context
        transaction.set_rollback(True)


def test_a_year_of_training_and_rotation(demo):
    assert TrainingSession.objects.count() >= 24
    assert (
        Attendance.objects.filter(passed=False).exists() and Attendance.objects.filter(passed=True).exists()
    )
    assert PostAssignment.objects.filter(planned=True).exists()
    assert PostAssignment.objects.filter(planned=False, ends_on__isnull=False).exists()


def test_two_health_day_free_clinics_with_screenings_filed_as_checkup_results(demo):
    clinics = Activity.objects.filter(kind=ActivityKind.FREE_CLINIC, health_day__isnull=False)
    assert clinics.count() == 2
    screenings = Screening.objects.filter(activity__in=clinics)
    assert screenings.exists()
    assert Result.objects.filter(visit__in=screenings.values("visit")).count() == 3 * screenings.count()


def test_weekly_inspections_with_some_findings_overdue_and_escalated(demo):
    # Overdue on the demo's own day: the fixture loads it as of yesterday, so a finding due yesterday is
    # late today but was not yet late for the demo (on a Saturday in Shanghai, Friday's deadlines).
    overdue = Finding.objects.filter(status=FindingStatus.OPEN, deadline__lt=demo.as_of)
    assert overdue.exists() and all(f.escalated_at for f in overdue)
    assert Finding.objects.filter(status=FindingStatus.VERIFIED).count() > overdue.count()
    head = get_user_model().objects.get(username="dept_head")
    assert all(f.department.code == "ORTH" for f in head_findings(user=head))


def test_the_yearly_summary_adds_up_over_the_demo_rows(demo):
    office = get_user_model().objects.get(username="quality_officer")
    year = demo.as_of.year
    _table, total = yearly_summary(user=office, year=year)
    rows = Activity.objects.filter(held_on__year=year)
    assert total.count == rows.count()
    assert total.attendees == sum(a.attendees for a in rows)
    assert Activity.objects.filter(kind=ActivityKind.MEDIA).count() == 45


def test_the_ward_programme_and_the_methods_beyond_questionnaires_show_in_the_demo(demo):
    """Issue 21 in the demo: the ward manager's stay plans and checklists give "my programme" figures; the
    family forum's first decision became an action and its second is still open; the focus group's points
    are coded into topics; the expert-panel review has a content validity."""
    from carebridge.followup.models import StayPlan, WardMeeting
    from carebridge.followup.selectors import kpis
    from carebridge.insights.selectors.qualitative import coded_points
    from carebridge.performance.models import ImprovementAction
    from carebridge.surveys.models import ExpertReview, QualitativeSession
    from carebridge.surveys.selectors.qualitative import review_validity

    manager = get_user_model().objects.get(username="ward_manager")
    first = StayPlan.objects.filter(project_manager=manager.staff).order_by("agreed_at").first()
    assert first is not None
    months = (timezone.localdate().year - first.agreed_at.year) * 12 + timezone.localdate().month
    period = kpis.default_period(months=months - first.agreed_at.month + 2)
    mine = kpis.kpi_plans(user=manager).filter(owner=manager.staff)
    totals = kpis.kpi_totals(plans=mine, period=period, codes=kpis.MANAGER_CODES)
    assert totals["stay_plan_24h"].denominator > 0 and totals["stay_plan_24h"].numerator > 0
    assert totals["introduction_complete"].denominator > 0
    forum = WardMeeting.objects.get(kind="family_forum")
    titles = set(
        ImprovementAction.objects.filter(source_id=forum.pk, source_type__model="wardmeeting").values_list(
            "title", flat=True
        )
    )
    assert titles == {forum.decisions[0]}
    focus_group = QualitativeSession.objects.get(kind="focus_group")
    assert any(point["topics"] for point in coded_points(focus_group))
    validity = review_validity(ExpertReview.objects.get())
    assert validity is not None and 0 < validity.s_cvi_ua < validity.s_cvi_ave <= 1
