"""Background runs as a service: a stale run is failed and not reused; new answers make a new run; one
active run per selection and data."""

from __future__ import annotations

import datetime as dt

import pytest

from carebridge.insights.choices import RunFailure, RunStatus
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
    assert run.status == RunStatus.FAILED and run.error and run.failure == RunFailure.INTERRUPTED
    assert run_request(user=quality_officer_qian, kind="drivers", selection=selection).pk != run.pk


@pytest.mark.django_db
def test_new_answers_make_a_new_run(survey_data, quality_officer_qian, cardiology):
    from carebridge.insights.tests.support.analysis_data import add_responses

    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    first = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
    assert run_request(user=quality_officer_qian, kind="drivers", selection=selection).pk == first.pk
    add_responses(survey_data["version"], department=cardiology, n=1, seed=99)
    assert run_request(user=quality_officer_qian, kind="drivers", selection=selection).pk != first.pk


@pytest.mark.django_db
def test_old_runs_are_purged_but_each_selections_newest_figures_stay(settings):
    """Finished runs past ``INSIGHTS_RUNS_KEEP_DAYS`` go, except the newest done run of a selection (a
    large selection shows its figures until the next run is done); queued and recent runs stay."""
    from carebridge.core.models import AuditEvent
    from carebridge.insights.services.runs import runs_purge
    from carebridge.insights.tests.factories import AnalysisRunFactory

    settings.INSIGHTS_RUNS_KEEP_DAYS = 30
    now = dt.datetime(2026, 12, 1, 3, 50, tzinfo=dt.UTC)

    def run(key: str, status: str, days_ago: int | None) -> AnalysisRun:
        finished = now - dt.timedelta(days=days_ago) if days_ago is not None else None
        return AnalysisRunFactory(selection_hash=key, status=status, finished_at=finished)

    superseded = run("a", RunStatus.DONE, 90)
    newest_old = run("a", RunStatus.DONE, 40)  # the newest done run of "a": kept, however old
    failed_old = run("a", RunStatus.FAILED, 35)
    only_done = run("b", RunStatus.DONE, 200)  # "b"'s only figures
    failed_b = run("b", RunStatus.FAILED, 100)
    recent = run("b", RunStatus.FAILED, 3)
    queued = run("c", RunStatus.QUEUED, None)

    assert runs_purge(now=now) == 3
    kept = set(AnalysisRun.objects.values_list("pk", flat=True))
    assert kept == {newest_old.pk, only_done.pk, recent.pk, queued.pk}
    assert not {superseded.pk, failed_old.pk, failed_b.pk} & kept
    assert AuditEvent.objects.get(action="insights.run.purge").summary == "3 finished before 2026-11-01"
    assert runs_purge(now=now) == 0


@pytest.mark.django_db
def test_two_requests_for_the_same_figures_share_one_run(survey_data, quality_officer_qian, monkeypatch):
    """The second of two requests that arrive together read "no run" before the first wrote its own: the
    database refuses the second active run, and the request returns the first instead of a double."""
    from carebridge.insights.services import runs

    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    first = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
    real_reusable = runs.run_reusable
    reads: list[str] = []

    def read_before_the_other_wrote(**kwargs):
        reads.append(kwargs["key"])
        return None if len(reads) == 1 else real_reusable(**kwargs)

    monkeypatch.setattr(runs, "run_reusable", read_before_the_other_wrote)
    second = run_request(user=quality_officer_qian, kind="drivers", selection=selection)

    assert second.pk == first.pk and len(reads) == 2
    assert list(AnalysisRun.objects.values_list("pk", flat=True)) == [first.pk]


@pytest.mark.django_db
def test_the_database_holds_one_active_run_per_selection_and_data():
    from django.db import IntegrityError, transaction

    from carebridge.insights.tests.factories import AnalysisRunFactory

    queued = AnalysisRunFactory(status=RunStatus.QUEUED, result=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnalysisRunFactory(
            selection_hash=queued.selection_hash, data_version=queued.data_version, status=RunStatus.RUNNING
        )
    # Done and failed runs of the same figures may be many; so may active runs of other data.
    AnalysisRunFactory(selection_hash=queued.selection_hash, data_version=queued.data_version)
    AnalysisRunFactory(
        selection_hash=queued.selection_hash, data_version=queued.data_version, status=RunStatus.FAILED
    )
    AnalysisRunFactory(selection_hash=queued.selection_hash, data_version="11:11", status=RunStatus.QUEUED)
    assert AnalysisRun.objects.filter(selection_hash=queued.selection_hash).count() == 4


@pytest.mark.django_db
def test_a_stale_run_of_the_same_figures_is_failed_when_a_new_one_is_requested(
    survey_data, quality_officer_qian
):
    """Before the minute's sweep fails it, a run whose worker died would hold the selection's one active
    place: the request fails it as interrupted and starts the new run."""
    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    stale = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
    AnalysisRun.objects.filter(pk=stale.pk).update(created_at=stale.created_at - dt.timedelta(hours=2))

    fresh = run_request(user=quality_officer_qian, kind="drivers", selection=selection)

    stale.refresh_from_db()
    assert fresh.pk != stale.pk and fresh.status == RunStatus.QUEUED
    assert stale.status == RunStatus.FAILED and stale.failure == RunFailure.INTERRUPTED


@pytest.mark.django_db
def test_a_run_whose_requester_lost_the_analysis_right_fails_as_denied(survey_data, quality_officer_qian):
    from django.utils import translation

    from carebridge.insights.services.runs import run_execute

    selection = Selection(instrument_id=survey_data["version"].instrument_id)
    with translation.override("zh-hans"):  # the language the run is computed, and its error worded, in
        run = run_request(user=quality_officer_qian, kind="drivers", selection=selection)
    quality_officer_qian.groups.clear()

    run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.failure, run.result) == (RunStatus.FAILED, RunFailure.DENIED, None)
    assert run.error == "申请人已无权查看这些数据"  # the requester's loss, not the reader's
