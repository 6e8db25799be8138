"""The call queue page says when calls can be made: calling hours, the calls that open later and when; and
the shift handover does not call a call overdue while calling hours keep it from being dialled."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from carebridge.followup.choices import EscalationStep, TouchpointKind
from carebridge.followup.hooks import calls_unfinished
from carebridge.followup.models import Touchpoint
from carebridge.followup.services.queue import call_claim
from carebridge.followup.tests.factories import at
from carebridge.followup.tests.support.clients import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(stay, discharge, hospital):
    plans = [
        discharge(stay("pedi", codes=["K35.8"]), when=at(2026, 3, 9, 15)),
        discharge(stay("card", codes=["I21.0"]), when=at(2026, 3, 9, 16)),
    ]
    return [p.touchpoints.get(kind="follow_up_call", sequence=1) for p in plans]


def test_the_empty_queue_at_night_shows_calling_hours_and_the_next_calls(calls, agent_ann):
    night = at(2026, 3, 10, 23)
    morning = at(2026, 3, 11, 8, 30)
    Touchpoint.objects.filter(pk__in=[c.pk for c in calls]).update(available_at=morning)
    with time_machine.travel(night, tick=False):
        page = client_for(agent_ann).get("/followup/").content.decode()
    assert 'id="calling-hours"' in page and "08:30" in page and "20:30" in page
    assert "Outside calling hours" in page and "03-11 08:30" in page
    assert 'id="upcoming-calls"' in page
    assert calls[0].plan.patient.name in page and calls[1].plan.patient.name in page
    assert "the next opens at 03-11 08:30" in page


def test_during_calling_hours_the_page_says_calls_may_be_made(calls, agent_ann):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        page = client_for(agent_ann).get("/followup/").content.decode()
    assert "Calls may be made now." in page and "Outside calling hours" not in page


def test_a_call_due_at_night_is_not_overdue_on_the_handover_until_calling_hours_reopen(calls, hospital):
    call = calls[0]
    Touchpoint.objects.filter(pk=call.pk).update(due_at=at(2026, 3, 10, 21), available_at=at(2026, 3, 9, 15))

    def state(now: dt.datetime) -> str:
        return next(
            item.detail for item in calls_unfinished(hospital, now) if item.object_key == str(call.pk)
        )

    night = state(at(2026, 3, 10, 23))
    assert "overdue" not in night and "03-11 08:30" in night
    assert "overdue" in state(at(2026, 3, 11, 9))  # dialable again, and still not made


def test_the_handover_lists_a_held_call_with_no_due_moment_after_the_dated_one(calls, hospital, agent_ann):
    undated, dated = calls
    Touchpoint.objects.filter(pk=undated.pk).update(
        due_at=None, claimed_by=agent_ann, claimed_until=at(2026, 3, 10, 23)
    )
    Touchpoint.objects.filter(pk=dated.pk).update(due_at=at(2026, 3, 10, 12))
    keys = [item.object_key for item in calls_unfinished(hospital, at(2026, 3, 10, 17))]
    assert keys == [str(dated.pk), str(undated.pk)]


def test_the_handover_links_a_call_only_for_users_who_may_open_it(calls, agent_ann, complaint_officer_li):
    from carebridge.frontdesk.models import Handover
    from carebridge.frontdesk.services.handover import handovers_open_due

    Touchpoint.objects.filter(pk=calls[0].pk).update(due_at=at(2026, 3, 10, 12))
    with time_machine.travel(at(2026, 3, 10, 17, 5), tick=False):
        handovers_open_due()
    handover = Handover.objects.get()
    link = f'href="/followup/calls/{calls[0].pk}/"'
    assert handover.items.filter(kind="call", object_key=str(calls[0].pk)).exists()
    for_agent = client_for(agent_ann).get(f"/desk/handovers/{handover.pk}/").content.decode()
    for_office = client_for(complaint_officer_li).get(f"/desk/handovers/{handover.pk}/").content.decode()
    assert link in for_agent
    assert link not in for_office and calls[0].plan.patient.name in for_office
    assert "Unfinished call" in for_office and ">call<" not in for_office  # the kind's label, not its code
    assert client_for(complaint_officer_li).get(f"/followup/calls/{calls[0].pk}/").status_code == 403


def test_the_rows_moments_read_as_the_date_filter_writes_them_in_local_time(calls, agent_ann):
    """The view writes each row's moments itself (not the ``date`` filter per row): the same texts, in the
    page's time zone — due, claimed until, and when a later call opens."""
    first, later = calls
    moments = {
        first.pk: (at(2026, 3, 10, 9, 5), at(2026, 3, 9, 15)),
        later.pk: (at(2026, 3, 12, 7), at(2026, 3, 10, 18, 7)),
    }
    for pk, (due, available) in moments.items():
        Touchpoint.objects.filter(pk=pk).update(due_at=due, available_at=available)
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        call_claim(touchpoint=Touchpoint.objects.get(pk=first.pk), actor=agent_ann)
        page = client_for(agent_ann).get("/followup/").content.decode()
    first.refresh_from_db()
    later.refresh_from_db()

    def filtered(value: dt.datetime, pattern: str) -> str:
        return Template(f'{{{{ value|date:"{pattern}" }}}}').render(Context({"value": value}))

    queue = page[page.index('id="call-queue"') : page.index("</table>", page.index('id="call-queue"'))]
    assert f"<td>{filtered(first.due_at, 'm-d H:i')}</td>" in queue and "03-10 09:05" in queue
    assert f"by me {filtered(first.claimed_until, 'H:i')}" in queue
    upcoming = page[page.index('id="upcoming-calls"') :]
    assert f'<td class="text-nowrap">{filtered(later.available_at, "m-d H:i")}</td>' in upcoming
    assert "03-10 18:07" in upcoming and "03-12 07:00" in upcoming


def test_my_other_touchpoints_link_to_their_plan_or_their_call_and_show_a_dash_for_no_due(calls, agent_ann):
    """The touchpoints the agent owns beside the queue: a stay's opens its plan, a call outside a stay at a
    later step its call page; a due moment as the ``date`` filter writes it, none as "—" and last."""
    interview, standalone = calls
    Touchpoint.objects.filter(pk=interview.pk).update(
        kind=TouchpointKind.ADMISSION_INTERVIEW,
        sequence=99,
        owner=agent_ann.staff,
        due_at=at(2026, 3, 10, 9, 5),
    )
    Touchpoint.objects.filter(pk=standalone.pk).update(
        plan=None, step=EscalationStep.MESSAGE, owner=agent_ann.staff, due_at=None
    )
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        page = client_for(agent_ann).get("/followup/").content.decode()
    mine = page[page.index('id="my-touchpoints"') : page.index("</table>", page.index('id="my-touchpoints"'))]
    rows = re.findall(r"<tr><td>([^<]*)</td><td><a href=\"([^\"]+)\">", mine)
    # The one with no due moment last, on every database (SQLite alone would put it first).
    assert rows == [
        ("03-10 09:05", reverse("followup:plan_detail", args=[interview.plan_id])),
        ("—", reverse("followup:call", args=[standalone.pk])),
    ]


def test_a_queue_row_is_red_when_overdue_shows_its_tier_badge_and_its_claim_form_passes_the_csrf_check(
    calls, agent_ann, stay, discharge
):
    """The row's colour, badge and form token come from the view: an overdue call's row is red, tier A's
    badge red, B's yellow and C's grey, and a claim form's token is one the CSRF check accepts."""
    third = discharge(stay("pedi", codes=["K35.8"]), when=at(2026, 3, 9, 17))
    overdue, later, last = [*calls, third.touchpoints.get(kind="follow_up_call", sequence=1)]
    for call, due, tier in ((overdue, 9, "A"), (later, 10, "B"), (last, 11, "C")):
        Touchpoint.objects.filter(pk=call.pk).update(
            due_at=at(2026, 3, 12, due), tier=tier, available_at=None
        )
    Touchpoint.objects.filter(pk=overdue.pk).update(due_at=at(2026, 3, 10, 9))
    client = client_for(agent_ann)
    client.handler.enforce_csrf_checks = True
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        page = client.get("/followup/").content.decode()
        queue = page[page.index('id="call-queue"') : page.index("</table>", page.index('id="call-queue"'))]
        rows = re.findall(
            r'<tr class="([^"]*)">\s*<td>([^<]*)</td>\s*<td><span class="badge ([^"]+)">(\w)</span>', queue
        )
        assert rows == [
            ("table-danger", "03-10 09:00", "text-bg-danger", "A"),
            ("", "03-12 10:00", "text-bg-warning", "B"),
            ("", "03-12 11:00", "text-bg-secondary", "C"),
        ]
        action, token = re.findall(
            r'<form method="post" action="([^"]+)"><input type="hidden" '
            r'name="csrfmiddlewaretoken" value="([^"]+)">',
            queue,
        )[0]
        assert len(token) == 64 and client.post(action, {"csrfmiddlewaretoken": "a" * 64}).status_code == 403
        claimed = client.post(action, {"csrfmiddlewaretoken": token})
    assert claimed.status_code == 302 and claimed.url == reverse("followup:call", args=[overdue.pk])
    assert Touchpoint.objects.get(pk=overdue.pk).claimed_by_id == agent_ann.pk


def test_the_call_i_hold_says_so_in_chinese(calls, agent_ann):
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        call_claim(touchpoint=Touchpoint.objects.get(pk=calls[0].pk), actor=agent_ann)
        client = client_for(agent_ann)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        page = client.get("/followup/").content.decode()
    held = Touchpoint.objects.get(pk=calls[0].pk).claimed_until
    assert f"<td>我已领取，至 {timezone.localtime(held):%H:%M}</td>" in page and "by me" not in page
