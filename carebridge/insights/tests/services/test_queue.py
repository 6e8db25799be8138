"""A requested run goes to the workers by the task's name (``tasks`` imports the services, not the
reverse), and is computed at once in eager mode as ``delay`` would."""

from __future__ import annotations

import pytest
from celery import current_app

from carebridge.insights.choices import RunStatus
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.services.runs import RUN_EXECUTE_TASK, run_request
from carebridge.insights.tasks import analysis_run_execute

pytestmark = pytest.mark.django_db


def test_the_task_is_sent_by_its_registered_name_on_commit(
    survey_data, quality_officer_qian, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args: sent.append((name, args)))
    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    with django_capture_on_commit_callbacks(execute=True):
        run = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
    assert sent == [(RUN_EXECUTE_TASK, [run.pk])] and analysis_run_execute.name == RUN_EXECUTE_TASK


def test_in_eager_mode_the_run_is_computed_at_once(
    survey_data, quality_officer_qian, django_capture_on_commit_callbacks
):
    before = current_app.conf.get("task_always_eager")
    current_app.conf.update(task_always_eager=True)
    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            run = run_request(
                user=quality_officer_qian, kind="drivers", selection=selection, parameters={"n_boot": 100}
            )
    finally:
        current_app.conf.update(task_always_eager=before)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.result["n_boot"] == 100
