"""The demo's six months of complaints: realistic mix, routing map installed, some overdue and escalated."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from carebridge.complaints.choices import Channel, ComplaintStatus, FeedbackKind
from carebridge.complaints.models import Complaint, ComplaintTransition, RoutingRule
from carebridge.core.tests.support.demo import rolled_back

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``seed_demo`` once for the module's tests, rolled back after them."""

    def load():
        out = io.StringIO()
        call_command("seed_demo", patients=60, seed=3, as_of=AS_OF, stdout=out)
        return out.getvalue()

    yield from rolled_back(django_db_blocker, load)


def test_the_demo_has_six_months_of_cases_with_a_realistic_mix(demo):
    # The desk's own cases; follow-up calls and surveys open a few more through the same service.
    cases = Complaint.objects.filter(hospital__code="lxq-demo").exclude(
        channel__in=[Channel.FOLLOWUP_CALL, Channel.SURVEY]
    )
    kinds = dict(cases.values_list("kind").annotate(n=Count("id")))
    assert 150 <= cases.count() <= 180
    assert kinds[FeedbackKind.COMPLAINT] > kinds[FeedbackKind.COMPLIMENT] > kinds[FeedbackKind.SUGGESTION] > 0
    first, last = cases.order_by("received_at").first(), cases.order_by("received_at").last()
    assert (last.received_at - first.received_at).days > 150
    assert cases.filter(on_the_spot=True).exists()
    assert cases.annotate(n=Count("departments")).filter(n__gt=1).exists()
    assert cases.filter(status=ComplaintStatus.CLOSED).count() > cases.count() / 2
    assert cases.filter(escalated_at__isnull=False, status__in=["routed", "investigating"]).exists()
    assert len(set(cases.values_list("category", flat=True))) >= 8
    assert RoutingRule.objects.filter(hospital__code="lxq-demo").count() == 9
    assert "complaints:" in demo


def test_demo_cases_are_consistent_with_their_history(demo):
    for complaint in Complaint.objects.filter(kind=FeedbackKind.COMPLAINT)[:40]:
        history = list(
            ComplaintTransition.objects.filter(complaint=complaint).values_list("to_status", flat=True)
        )
        assert history[0] == ComplaintStatus.RECEIVED and history[-1] == complaint.status
        assert complaint.deadlines.exists()
