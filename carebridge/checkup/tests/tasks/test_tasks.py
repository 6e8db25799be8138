"""The nightly close of the day's open visits, and the patient timeline's checkup entries."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.checkup.models import QueueEntry
from carebridge.checkup.services.flow import queue_join
from carebridge.checkup.tasks import visits_close_stale
from carebridge.checkup.tests.support.people import booked, checked_in
from carebridge.core.timeline import timeline_for

pytestmark = pytest.mark.django_db


def test_the_night_closes_yesterdays_open_visits_and_marks_no_shows(site):
    items = [site.catalogue.items["ECG"]]
    inside = checked_in(centre=site.centre, actor=site.staff, patient=site.customer, items=items)
    queue_join(visit=inside, room=site.catalogue.rooms["ECG"], actor=site.staff)
    absent = booked(centre=site.centre, actor=site.staff, items=items)
    tomorrow = booked(centre=site.centre, actor=site.staff, items=items, day=dt.date(2025, 3, 13))
    site.clock.shift(dt.timedelta(hours=16, minutes=10))  # 23:40

    assert visits_close_stale() == {"left": 0, "no_show": 0}  # still the same day
    site.clock.shift(dt.timedelta(hours=1))
    assert visits_close_stale() == {"left": 1, "no_show": 1}
    assert visits_close_stale() == {"left": 0, "no_show": 0}

    for visit in (inside, absent, tomorrow):
        visit.refresh_from_db()
    assert (inside.status, absent.status, tomorrow.status) == ("examined", "no_show", "booked")
    assert not QueueEntry.objects.filter(status__in=("waiting", "in_service")).exists()
    assert inside.transitions.last().actor is None


def test_the_patient_timeline_shows_checkups_only_to_the_centre(site, clinician_zhou):
    visit = checked_in(
        centre=site.centre, actor=site.staff, patient=site.customer, items=[site.catalogue.items["GLU"]]
    )
    entries = [e for e in timeline_for(site.customer, site.staff) if e.kind == "checkup"]
    assert [e.title for e in entries] == [f"Health checkup {visit.number}"] or visit.number in entries[
        0
    ].title
    assert not [e for e in timeline_for(site.customer, clinician_zhou) if e.kind == "checkup"]
