"""The follow-up demo: a plan for every inpatient stay over 18 months, call histories that follow the
policy (first-call answer rate, redials, SMS, visits, ~3% lost), tiers by the real policy, mid-stay talks,
wards that fall short, and rows consistent with what the services would have written."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import Count, Min

from carebridge.core.demo.steps import DemoContext, steps
from carebridge.followup.choices import CALL_KINDS, OPEN_TOUCHPOINT, TouchpointKind, TouchpointStatus
from carebridge.followup.demo.loader import seed_followup
from carebridge.followup.models import CallAttempt, CarePlan, Touchpoint, TouchpointTransition
from carebridge.patients.demo.loader import seed_organisation, seed_patients
from carebridge.patients.models import Encounter

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 10, 20)


@pytest.fixture
def demo(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    context = DemoContext(seed=5, as_of=AS_OF, patients=1200, rng=random.Random(5), log=lambda _m: None)  # noqa: S311 - deterministic test data
    seed_organisation(context)
    seed_patients(context)
    seed_followup(context)
    return context


def test_the_step_is_registered_after_the_patients_and_the_desk():
    orders = {name: order for order, name, _step in steps()}
    assert orders["follow-up: care plans, touchpoints, calls"] == 42
    assert orders["patients"] < 42 and orders.get("complaints", 40) < 42


def test_every_inpatient_stay_has_a_plan_over_eighteen_months(demo):
    stays = Encounter.objects.filter(kind="inpatient")
    plans = CarePlan.objects.all()
    assert plans.count() == stays.count() > 200
    first = plans.aggregate(first=Min("discharged_at"))["first"]
    assert (dt.datetime(2026, 10, 20, tzinfo=dt.UTC) - first).days > 500
    tiers = dict(plans.exclude(tier="").values_list("tier").annotate(n=Count("pk")))
    assert set(tiers) == {"A", "B", "C"}
    assert (
        Touchpoint.objects.filter(kind=TouchpointKind.MID_STAY_TALK, status=TouchpointStatus.DONE).count()
        > 50
    )
    assert plans.filter(discharged_at__isnull=True).exists()  # some still in hospital at the demo's today
    assert plans.exclude(customer_file={}).count() > plans.count() * 0.9


def test_call_histories_are_realistic(demo):
    firsts = CallAttempt.objects.values("touchpoint").annotate(first=Min("id")).values("first")
    first_attempts = CallAttempt.objects.filter(pk__in=firsts, channel="phone")
    reached_first = first_attempts.filter(outcome="reached").count() / first_attempts.count()
    assert 0.55 <= reached_first <= 0.75
    assert (
        CallAttempt.objects.values("touchpoint").annotate(n=Count("pk")).filter(n__gt=2).exists()
    )  # redials
    channels = dict(CallAttempt.objects.values_list("channel").annotate(n=Count("pk")))
    assert channels["sms"] > 5 and channels.get("home_visit", 0) + channels.get("letter", 0) > 3
    calls = Touchpoint.objects.filter(kind=TouchpointKind.FOLLOW_UP_CALL).exclude(
        status__in=[TouchpointStatus.SKIPPED, TouchpointStatus.CANCELLED, *OPEN_TOUCHPOINT]
    )
    lost = calls.filter(status=TouchpointStatus.LOST).count() / calls.count()
    assert 0.01 <= lost <= 0.06
    assert Touchpoint.objects.filter(
        kind__in=CALL_KINDS, status__in=OPEN_TOUCHPOINT
    ).exists()  # a queue today


def test_the_rows_agree_with_what_the_services_write(demo):
    for touchpoint in Touchpoint.objects.filter(kind__in=CALL_KINDS).order_by("?")[:300]:
        history = list(TouchpointTransition.objects.filter(touchpoint=touchpoint).order_by("at", "id"))
        assert history[0].to_status == TouchpointStatus.SCHEDULED
        assert history[-1].to_status == touchpoint.status
        outcomes = set(touchpoint.attempts.values_list("outcome", flat=True))
        if touchpoint.status == TouchpointStatus.DONE:
            assert "reached" in outcomes and touchpoint.completed_at is not None
        if touchpoint.status == TouchpointStatus.LOST:
            assert touchpoint.attempts.filter(channel__in=("home_visit", "letter"), outcome="failed").exists()
        if touchpoint.tier == "A":
            assert touchpoint.status != TouchpointStatus.EXPIRED  # tier A is never closed automatically
    for plan in CarePlan.objects.filter(status="closed")[:100]:
        assert not plan.touchpoints.filter(status__in=OPEN_TOUCHPOINT).exists()


def test_the_short_wards_fall_short_and_the_paediatric_wards_do_best(demo):
    def on_time(ward_filter):
        due = Touchpoint.objects.filter(
            kind=TouchpointKind.FOLLOW_UP_CALL,
            due_at__lte=dt.datetime(2026, 10, 20, tzinfo=dt.UTC),
            **ward_filter,
        ).exclude(status__in=[TouchpointStatus.SKIPPED, TouchpointStatus.CANCELLED])
        done = [t for t in due if t.status == TouchpointStatus.DONE and t.completed_at <= t.due_at]
        return len(done) / max(1, due.count())

    paediatrics = on_time({"plan__department__code": "PEDI"})
    everyone = on_time({})
    short = on_time({"plan__ward__code__in": ("ORTH-3", "RESP-2")})
    assert paediatrics > everyone > short
