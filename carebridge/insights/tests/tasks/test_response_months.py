"""The monthly aggregate's refresh: on the nightly beat schedule, a thin task, and queued after a
survey import that stored responses (imported answers usually belong to closed months)."""

from __future__ import annotations

import pytest
from celery import current_app

from carebridge.insights.models import AggregateRefresh, ResponseMonth
from carebridge.insights.services.aggregates import RESPONSE_MONTHS_REFRESH_TASK
from carebridge.insights.tasks import response_months_refresh_task
from carebridge.surveys.services.imports import responses_import
from carebridge.surveys.tests.support.responses import open_wave

pytestmark = pytest.mark.django_db

ONE_ROW = b"q1,q2,q3,nps,comment,department,submitted_at,mode\n5,1,4,9,,CARD,2026-10-03 09:30,paper\n"
BAD_ROW = b"q1,q2,q3,nps,comment,department,submitted_at,mode\n7,1,4,9,,CARD,2026-10-03 09:30,paper\n"


@pytest.fixture
def wave(hospital, quality_officer_qian, cardiology):
    return open_wave(hospital=hospital, owner=quality_officer_qian)


@pytest.fixture
def eager():
    """Set the app's eager mode for one test (``conf.update``, restored after: ``monkeypatch`` cannot
    undo an attribute of Celery's settings)."""
    before = current_app.conf.get("task_always_eager")

    def set_to(value: bool) -> None:
        current_app.conf.update(task_always_eager=value)

    yield set_to
    current_app.conf.update(task_always_eager=before)


@pytest.fixture
def sent(monkeypatch, eager):
    names: list[str] = []
    eager(False)
    monkeypatch.setattr(current_app, "send_task", lambda name, *a, **k: names.append(name))
    return names


def test_the_refresh_is_on_the_nightly_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["insights-response-months-refresh"]
    assert entry["task"] == response_months_refresh_task.name == RESPONSE_MONTHS_REFRESH_TASK


def test_the_task_recounts_the_aggregate_and_records_the_refresh(wave, quality_officer_qian):
    responses_import(wave=wave, actor=quality_officer_qian, file_name="legacy.csv", content=ONE_ROW)
    rows = response_months_refresh_task.apply().get()
    assert rows == ResponseMonth.objects.count() == 1
    assert AggregateRefresh.objects.get().rows == 1


def test_an_import_that_stored_responses_queues_a_refresh_once_committed(
    wave, quality_officer_qian, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        responses_import(wave=wave, actor=quality_officer_qian, file_name="legacy.csv", content=ONE_ROW)
        assert sent == []  # not before the import has committed
    assert sent == [RESPONSE_MONTHS_REFRESH_TASK]


def test_an_import_that_stored_nothing_queues_nothing(
    wave, quality_officer_qian, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = responses_import(wave=wave, actor=quality_officer_qian, file_name="bad.csv", content=BAD_ROW)
    assert batch.rows_imported == 0 and sent == []


def test_in_eager_mode_the_import_refreshes_at_once(
    wave, quality_officer_qian, eager, django_capture_on_commit_callbacks
):
    eager(True)
    with django_capture_on_commit_callbacks(execute=True):
        responses_import(wave=wave, actor=quality_officer_qian, file_name="legacy.csv", content=ONE_ROW)
    assert AggregateRefresh.objects.count() == 1
    assert ResponseMonth.objects.get().n == 1
