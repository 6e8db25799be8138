"""Issue 13, scope 5: a notification past its target escalates to the supervisor and then shows on the
shift handover and in the workspace of those who work or supervise the queue (through the desk's
registries: the desk never imports critical results); one that has not escalated shows on neither."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from carebridge.checkup.tests.support.people import record
from carebridge.core.tests.factories import make_persona
from carebridge.critical.tasks import notifications_escalate
from carebridge.frontdesk.domain.carryover import carried_items
from carebridge.frontdesk.models import HandoverItem
from carebridge.frontdesk.selectors.workspace import my_open_items

pytestmark = pytest.mark.django_db


def _critical(items):
    return [item for item in items if item.kind == "critical"]


def test_only_an_escalated_notification_is_carried_to_the_next_shift(
    hospital, visit, staff_chen, examiner_he, clock
):
    record(visit, "HGB", "70", staff_chen)
    assert _critical(carried_items(hospital, timezone.now())) == []
    clock.shift(dt.timedelta(minutes=16))
    assert notifications_escalate() == 1
    (item,) = _critical(carried_items(hospital, timezone.now()))
    assert visit.number in item.title and item.url.startswith("/critical/")
    assert HandoverItem(kind=item.kind).kind_label == "Critical result escalated"


def test_the_workspace_lists_it_for_the_queue_and_the_supervisor_not_for_an_outsider(
    *, hospital, cardiology, visit, staff_chen, examiner_he, clock
):
    outsider = make_persona("zhou", "clinician", hospital, departments=[cardiology])
    record(visit, "HGB", "70", staff_chen)
    assert _critical(my_open_items(user=examiner_he, now=timezone.now())) == []
    clock.shift(dt.timedelta(minutes=16))
    notifications_escalate()
    now = timezone.now()
    for user in (staff_chen, examiner_he):
        (item,) = _critical(my_open_items(user=user, now=now))
        assert visit.number in item.title and item.overdue
    assert _critical(my_open_items(user=outsider, now=now)) == []


def test_the_workspace_page_shows_the_escalated_notification(
    *, client, settings, hospital, visit, staff_chen, clock
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    admin = make_persona("root", "admin", hospital)
    record(visit, "HGB", "70", staff_chen)
    clock.shift(dt.timedelta(minutes=16))
    notifications_escalate()
    client.force_login(admin)
    page = client.get(reverse("desk:workspace")).content.decode()
    assert visit.number in page and 'data-kind="critical"' in page
