"""The demo: a year of notifications judged by the default rules, each closed with a read-back except a
few recent ones still open past their targets and one signed off as unable to reach after the ladder; the
dashboard's numbers agree with their rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from carebridge.checkup.tests.support.demo import centre_steps
from carebridge.core.tests.support.demo import demo_steps, rolled_back
from carebridge.critical.demo.loader import seed_critical
from carebridge.critical.models import Notification
from carebridge.critical.selectors.kpis import critical_kpis
from carebridge.critical.selectors.notifications import notification_list

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 3, 12)


def _load():
    context = demo_steps(
        patients=1500,
        seed=7,
        as_of=AS_OF,
        wanted=centre_steps,
    )
    seed_critical(context)
    return context


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The centre's demo steps and a year of critical results once for the module, rolled back after it."""
    yield from rolled_back(django_db_blocker, _load)


def test_a_year_of_notifications_with_realistic_outcomes(demo):
    rows = Notification.objects.all()
    assert rows.count() >= 10
    first = rows.order_by("detected_at").first().detected_at.date()
    assert first >= AS_OF - dt.timedelta(days=366)
    statuses = list(rows.values_list("status", flat=True))
    assert statuses.count("unreachable") == 1
    assert 1 <= statuses.count("new") <= 3
    assert statuses.count("read_back") >= len(statuses) - 4
    unreachable = rows.get(status="unreachable")
    assert {"person", "emergency", "home_visit"} <= set(unreachable.attempts.values_list("step", flat=True))
    assert not rows.filter(status="read_back", read_back_to="").exists()


def test_the_dashboard_agrees_with_its_rows(demo):
    staff = get_user_model().objects.get(username="checkup_staff")
    with_now = dt.datetime(2025, 3, 12, 12, 0, tzinfo=dt.UTC)
    kpis = critical_kpis(user=staff, start=AS_OF - dt.timedelta(days=365), end=AS_OF, now=with_now)
    assert kpis.total == notification_list(user=staff).count()
    assert kpis.unreachable == notification_list(user=staff, filters={"status": "unreachable"}).count() == 1
    assert kpis.overdue_now >= 1
    class_a = next(row for row in kpis.classes if row.severity == "A")
    if class_a.count:
        assert (
            class_a.first_attempt.p50 is not None and class_a.first_attempt.p50 <= class_a.first_attempt.max
        )
