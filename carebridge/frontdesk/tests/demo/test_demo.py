"""The demo's six months of desk work: a few thousand inquiries peaking 8–10 am, escorts through their life
cycle, handovers acknowledged but the latest, and the agent's work logs matching the records."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import F

from carebridge.frontdesk.choices import EscortStatus
from carebridge.frontdesk.models import Escort, Handover, Inquiry, WorkLog
from carebridge.frontdesk.selectors.handover import handovers_to_acknowledge
from carebridge.frontdesk.selectors.worklogs import worklog_counts

pytestmark = pytest.mark.django_db
User = get_user_model()
AS_OF = dt.date(2026, 11, 1)


def test_the_demo_has_six_months_of_desk_work_with_realistic_distributions():
    out = io.StringIO()
    call_command("seed_demo", patients=60, seed=3, as_of=AS_OF, stdout=out)
    inquiries = Inquiry.objects.filter(hospital__code="lxq-demo")
    assert 2000 <= inquiries.count() <= 5000
    tz = ZoneInfo("Asia/Shanghai")
    hours = Counter(
        received.astimezone(tz).hour for received in inquiries.values_list("received_at", flat=True)
    )
    assert hours.most_common(1)[0][0] in (8, 9, 10)
    assert sum(hours[h] for h in (8, 9, 10)) > inquiries.count() / 3
    channels = Counter(inquiries.values_list("channel", flat=True))
    assert channels["walk_in"] > channels["phone"] > channels["online"] > 0
    assert len(set(inquiries.values_list("category", flat=True))) == 8
    assert inquiries.filter(referred_hospital__isnull=False).exists()
    escorts = Escort.objects.filter(hospital__code="lxq-demo")
    assert escorts.filter(status=EscortStatus.DONE).count() > escorts.count() * 0.8
    assert escorts.filter(status=EscortStatus.CANCELLED).exists()
    for escort in escorts.filter(status=EscortStatus.DONE)[:20]:
        assert list(escort.transitions.values_list("to_status", flat=True)) == [
            "requested",
            "assigned",
            "under_way",
            "done",
        ]
    handovers = Handover.objects.filter(hospital__code="lxq-demo").order_by("handover_at")
    assert handovers.count() > 40
    assert handovers.filter(status="open").count() == 1 and handovers.last().status == "open"
    assert handovers.filter(notes__gt="").exists()
    # Four agents work the shifts in turn: every handover passes between two different people, and the
    # open one waits for the demo agent.
    acknowledged = handovers.filter(status="acknowledged")
    assert not acknowledged.filter(acknowledged_by=F("handed_over_by")).exists()
    assert not acknowledged.filter(handed_over_by__isnull=True).exists()
    assert acknowledged.values("handed_over_by").distinct().count() == 4
    assert acknowledged.values("acknowledged_by").distinct().count() == 4
    waiting = handovers.last()
    assert waiting.handed_over_by.username != "agent"
    assert list(handovers_to_acknowledge(user=User.objects.get(username="agent"))) == [waiting]
    assert Inquiry.objects.values("received_by").distinct().count() == 4
    log = WorkLog.objects.filter(author__username="agent").order_by("-day")[5]
    counts = worklog_counts(user=log.author, day=log.day)
    assert (log.inquiries_answered, log.escorts_done, log.complaints_received) == tuple(counts.values())
    assert "desk:" in out.getvalue()
