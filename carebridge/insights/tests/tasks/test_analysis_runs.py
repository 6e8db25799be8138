"""A background analysis run goes through the configured broker to a real Celery worker: queued → done."""

from __future__ import annotations

import pytest

from carebridge.celery import app
from carebridge.core.tests.worker import running_worker
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.choices import RunStatus
from carebridge.insights.models import AnalysisRun
from carebridge.insights.services.runs import run_request, runs_expire_stale
from carebridge.insights.tests.support.analysis_data import make_rated_version, make_survey_data


@pytest.fixture
def rated_version(hospital):
    return make_rated_version(hospital)


@pytest.fixture
def survey_data(rated_version, cardiology, paediatrics):
    return make_survey_data(rated_version, cardiology, paediatrics)


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


@pytest.mark.django_db
def test_stale_runs_are_failed_and_not_reused(
    survey_data, quality_officer_qian, django_capture_on_commit_callbacks
):
    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    run = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
    AnalysisRun.objects.filter(pk=run.pk).update(
        created_at=run.created_at.replace(year=run.created_at.year - 1)
    )
    assert runs_expire_stale() == 1
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.error
    assert run_request(user=quality_officer_qian, kind="drivers", selection=selection).pk != run.pk


@pytest.mark.django_db
def test_new_answers_make_a_new_run(survey_data, quality_officer_qian, cardiology):
    from carebridge.insights.tests.support.analysis_data import add_responses

    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    first = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
    assert run_request(user=quality_officer_qian, kind="drivers", selection=selection).pk == first.pk
    add_responses(survey_data["version"], department=cardiology, n=1, seed=99)
    assert run_request(user=quality_officer_qian, kind="drivers", selection=selection).pk != first.pk
