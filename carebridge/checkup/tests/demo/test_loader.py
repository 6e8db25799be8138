"""The demo centre: three years, 32 groups, people coming back (trends), realistic prevalence, a live
morning for the guide board and visits waiting for the chief examiner; its demo users are scoped to the
centre; and its figures drill down to their rows like everybody else's."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from carebridge.checkup.models import EmployerGroup, Result, Visit
from carebridge.checkup.selectors.flow import board
from carebridge.checkup.selectors.review import review_queue
from carebridge.checkup.selectors.statistics import drill, statistics, year_period
from carebridge.checkup.tests.support.demo import centre_steps
from carebridge.core.tests.support.demo import demo_steps, rolled_back

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 3, 12)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The centre's demo steps once for the module's tests, rolled back after them."""
    yield from rolled_back(
        django_db_blocker, lambda: demo_steps(patients=400, seed=7, as_of=AS_OF, wanted=centre_steps)
    )


def test_three_years_of_visits_by_people_who_come_back(demo):
    years = Counter(Visit.objects.values_list("scheduled_for__year", flat=True))
    assert set(years) == {2023, 2024, 2025}
    assert EmployerGroup.objects.count() >= 30
    returning = Visit.objects.values("patient").annotate(n=Count("id")).filter(n__gte=3).count()
    assert returning >= 20


def test_abnormal_findings_at_realistic_prevalence(demo):
    def share(code: str) -> float:
        results = Result.objects.filter(item__code=code)
        return results.exclude(flag="N").count() / results.count()

    assert 0.05 < share("GLU") < 0.25  # impaired fasting glucose and diabetes
    assert 0.08 < share("SBP") < 0.30  # raised blood pressure
    assert 0.15 < share("USABD") < 0.55  # fatty liver, gallstones, cysts
    assert share("AFP") < 0.08 and share("FOBT") < 0.06


def test_a_live_morning_and_visits_waiting_for_the_chief_examiner(demo):
    nurse = get_user_model().objects.get(username="guide_nurse")
    examiner = get_user_model().objects.get(username="chief_examiner")
    centre = nurse.staff.departments.get()
    assert centre.code == "CHKP" and list(examiner.staff.departments.all()) == [centre]
    live = board(user=nurse, department_id=centre.pk, now=dt.datetime(2025, 3, 12, 9, 45, tzinfo=dt.UTC))
    assert len(live.people) >= 10 and sum(row.waiting + row.inside for row in live.rooms) >= 5
    assert review_queue(user=examiner).exists()
    signed = Visit.objects.filter(status="released")
    assert not signed.filter(risk_level=None).exists()
    assert {2, 3, 4, 5} <= set(signed.values_list("risk_level", flat=True))  # level 1 is rare (a few in 100)


def test_the_demo_figures_drill_down_to_their_rows(demo):
    examiner = get_user_model().objects.get(username="chief_examiner")
    period = year_period(2024)
    figures = statistics(user=examiner, period=period)
    assert figures.customers == len(drill(user=examiner, period=period, key="customers").rows) > 50
    assert figures.lost == len(drill(user=examiner, period=period, key="lost").rows)
    assert figures.turnaround.n == len(drill(user=examiner, period=period, key="turnaround").rows)


def test_a_satisfaction_wave_of_the_centres_customers_with_answers(demo):
    from carebridge.surveys.models import Response, Wave

    wave = Wave.objects.get(name__startswith="体检中心检后满意度调查")
    assert wave.population == "checkup_customers" and wave.status == "open"
    assert wave.version.instrument.code == "checkup-experience"
    invited = wave.invitations.count()
    responses = Response.objects.filter(wave=wave)
    # About half answer within three days of the message; the last days' customers are not asked yet.
    assert invited >= 10 and 3 <= responses.count() < invited
    # Every answer comes from a customer of one of the centre's visits in the period.
    visits = Visit.objects.filter(encounter__in=responses.values("encounter"))
    assert visits.count() == responses.count()
    assert all(r.score is not None for r in responses)
    assert {r.mode for r in responses} <= {"web", "phone"}
    assert all(r.submitted_at < dt.datetime(2025, 3, 12, 9, tzinfo=dt.UTC) for r in responses)


def test_the_live_morning_answered_the_health_questionnaire(demo):
    live = Visit.objects.filter(scheduled_for=AS_OF, status="checked_in")
    answered = live.filter(questionnaire__isnull=False)
    assert answered.count() >= live.count() // 2
    first = answered.order_by("id").first()
    assert first.questionnaire.patient_id == first.patient_id and "l_smoke" in first.questionnaire.answers


def test_the_last_months_abnormal_findings_are_in_the_call_queue(demo):
    from carebridge.followup.models import Touchpoint

    calls = Touchpoint.objects.filter(plan__isnull=True, reason="checkup_abnormal")
    assert calls.exists()
    visits = Visit.objects.filter(pk__in=calls.values("origin_id"))
    assert visits.count() == calls.count() and not visits.filter(risk_level=5).exists()
