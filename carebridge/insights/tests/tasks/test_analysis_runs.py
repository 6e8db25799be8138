"""A background analysis run goes through the configured broker to a real Celery worker: queued → done."""

from __future__ import annotations

import pytest

from carebridge.celery import app
from carebridge.core.tests.support.worker import running_worker
from carebridge.insights.choices import RunStatus
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.services.runs import run_request


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_takes_a_queued_run_and_stores_its_result(survey_data, quality_officer_qian, private_queue):
    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    with running_worker(app) as worker:
        # run_request commits (no surrounding transaction here), so its on_commit sends the task now.
        run = run_request(
            user=quality_officer_qian, kind="drivers", selection=selection, parameters={"n_boot": 100}
        )
        assert run.status == RunStatus.QUEUED
        worker.wait_for("carebridge.insights.tasks.analysis_run_execute")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.progress == 100 and run.started_at and run.finished_at
    assert run.result["n_boot"] == 100 and len(run.result["drivers"]) == 2
