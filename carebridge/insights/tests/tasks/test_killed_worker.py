"""A worker killed in the middle of a run (issue 19, item 7): the run does not stay "running" for ever.

A real worker process (a second Python process running ``run_execute``) is killed with SIGKILL at 10%.
Its heartbeat falls silent; once silent for HEARTBEAT_STALE, the redelivered message restarts the run
and finishes it; a new request that comes first fails the silent run and starts a fresh one (one active
run per selection and data), so the late redelivery computes nothing twice; and the sweep fails a run
nothing reclaimed.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from carebridge.insights.choices import RunFailure, RunStatus
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.models import AnalysisRun
from carebridge.insights.selectors.runs import HEARTBEAT_STALE, run_reusable
from carebridge.insights.services.runs import run_execute, run_request, runs_expire_stale

ROOT = Path(__file__).resolve().parents[4]
# The worker: computes the run with an analysis that reports 10% and then hangs until it is killed.
WORKER = """
import sys, time, django
django.setup()
from carebridge.insights.services import runs
def hang(**kwargs):
    kwargs["progress"](10)
    time.sleep(600)
runs.analyse = hang
runs.run_execute(run_id=int(sys.argv[1]))
"""


def _database_url() -> str:
    """The test database, for a second process: on SQLite the suite's database is a file it can open."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = (
        settings["USER"] or "postgres",
        settings["HOST"] or "127.0.0.1",
        settings["PORT"] or 5432,
    )
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def _wait_for(run: AnalysisRun, *, progress: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status == RunStatus.RUNNING and run.progress == progress:
            return
        time.sleep(0.5)
    raise AssertionError(f"the worker did not reach {progress}% ({run.status}, {run.progress}%)")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_whose_worker_is_killed_is_restarted_by_the_redelivered_message(
    survey_data, quality_officer_qian
):
    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    run = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "carebridge.settings",
    }
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", WORKER, str(run.pk)], cwd=ROOT, env=environment
    )
    try:
        _wait_for(run, progress=10)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING and run.heartbeat_at is not None  # what the issue saw

    silent = timezone.now() + HEARTBEAT_STALE + dt.timedelta(seconds=5)
    assert run_reusable(key=run.selection_hash, version=run.data_version, now=silent) is None
    with time_machine.travel(silent, tick=False):
        # The broker's redelivery of the killed worker's message: the run restarts and finishes.
        restarted = run_execute(run_id=run.pk)
    assert restarted is not None and restarted.status == RunStatus.DONE, restarted and restarted.error
    assert restarted.result["drivers"]
    assert run_request(user=quality_officer_qian, kind="drivers", selection=selection).pk == run.pk


def _running(survey_data, user) -> tuple[Selection, AnalysisRun, dt.datetime]:
    """A run of the drivers that a worker has taken, at 10%, with its heartbeat of now."""
    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    run = run_request(user=user, kind="drivers", selection=selection)
    started = timezone.now()
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=started, heartbeat_at=started, progress=10
    )
    return selection, run, started


@pytest.mark.django_db
def test_a_new_request_for_a_silent_runs_figures_starts_afresh_and_the_late_redelivery_computes_nothing(
    survey_data, quality_officer_qian
):
    selection, run, started = _running(survey_data, quality_officer_qian)
    with time_machine.travel(started + HEARTBEAT_STALE + dt.timedelta(seconds=5), tick=False):
        fresh = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
        assert fresh.pk != run.pk and fresh.status == RunStatus.QUEUED
        assert run_execute(run_id=run.pk) is None  # the killed worker's message, redelivered late
        done = run_execute(run_id=fresh.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.failure == RunFailure.INTERRUPTED
    assert done is not None and done.status == RunStatus.DONE and done.result["drivers"]


@pytest.mark.django_db
def test_a_silent_run_nothing_reclaims_is_failed_within_minutes_and_a_busy_one_is_left_alone(
    survey_data, quality_officer_qian
):
    _selection, run, started = _running(survey_data, quality_officer_qian)
    assert run_execute(run_id=run.pk) is None  # its worker is alive: a second one does not start it
    assert runs_expire_stale(now=started + dt.timedelta(minutes=1)) == 0
    assert runs_expire_stale(now=started + HEARTBEAT_STALE + dt.timedelta(seconds=1)) == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error
