"""Background runs as a service: a stale run is failed and not reused; new answers make a new run."""

from __future__ import annotations

import pytest

from carebridge.insights.choices import RunStatus
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.models import AnalysisRun
from carebridge.insights.services.runs import run_request, runs_expire_stale


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
