"""A selection too large to analyse during the request (issue 18 item 4): the overview and the
dimensions tab ask a background run for the indexes, show the last finished figures meanwhile (marked
as earlier ones), and the run's result once it is done; below the limit nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from carebridge.insights.choices import RunKind, RunStatus
from carebridge.insights.models import AnalysisRun
from carebridge.insights.services.runs import run_claim, run_execute
from carebridge.insights.tests.support.analysis_data import add_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def large(settings):
    """The 110 responses of ``survey_data`` count as a large selection."""
    settings.INSIGHTS_INLINE_RESPONSES = 100


def _get(client, user, page="overview"):
    client.force_login(user)
    response = client.get(reverse(f"insights:{page}"))
    assert response.status_code == 200
    return response


def test_a_large_selection_is_analysed_by_one_background_run_and_then_shown(
    client, survey_data, quality_officer_qian, large
):
    first = _get(client, quality_officer_qian)
    assert first.context["result"] is None
    page = first.content.decode()
    assert 'id="analysis-updating"' in page and 'id="kpi-index"' not in page
    assert "正在后台计算" in page  # zh-hans: the figures are being computed in the background
    run = AnalysisRun.objects.get()
    assert (run.kind, run.status, run.requested_by) == (
        RunKind.INDEXES,
        RunStatus.QUEUED,
        quality_officer_qian,
    )
    assert run.data_version.startswith("110:")

    _get(client, quality_officer_qian)
    assert AnalysisRun.objects.count() == 1  # the same answers: the queued run is reused

    run_execute(run_id=run.pk)  # what the Celery worker does with the queued run
    shown = _get(client, quality_officer_qian)
    assert shown.context["result"]["n"] == 110
    assert shown.context["updating"] is None
    assert (
        'id="kpi-index"' in shown.content.decode() and 'id="analysis-updating"' not in shown.content.decode()
    )


def test_new_answers_keep_the_earlier_figures_on_screen_and_are_counted_within_a_quarter_hour(
    client, survey_data, quality_officer_qian, cardiology, large
):
    start = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _get(client, quality_officer_qian)
        run_execute(run_id=AnalysisRun.objects.get().pk)
        add_responses(survey_data["version"], department=cardiology, n=3, seed=99)
    with time_machine.travel(start + dt.timedelta(minutes=5), tick=False):
        page = _get(client, quality_officer_qian)
    assert page.context["result"]["n"] == 110  # the earlier figures, not a blank page
    assert page.context["updating"] == {"run": None, "earlier": AnalysisRun.objects.get()}
    assert "一刻钟" in page.content.decode()  # zh-hans: counted at the next update, within a quarter hour
    assert AnalysisRun.objects.count() == 1  # figures five minutes old: no run for three answers

    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        page = _get(client, quality_officer_qian)
    assert page.context["result"]["n"] == 110
    assert page.context["updating"]["earlier"].status == RunStatus.DONE
    assert "新的回答" in page.content.decode()  # zh-hans: new answers have arrived since
    newer = AnalysisRun.objects.order_by("-id").first()
    assert newer.status == RunStatus.QUEUED and newer.data_version.startswith("113:")

    run_execute(run_id=newer.pk)
    assert _get(client, quality_officer_qian).context["result"]["n"] == 113


def test_one_run_computes_for_a_selection_at_a_time_while_answers_arrive(
    client, survey_data, quality_officer_qian, cardiology, large
):
    _get(client, quality_officer_qian)
    first = AnalysisRun.objects.get()
    for seed in (101, 102):  # answers arrive while the first run waits for a worker
        add_responses(survey_data["version"], department=cardiology, n=1, seed=seed)
        assert _get(client, quality_officer_qian).context["updating"]["run"] == first
    assert AnalysisRun.objects.count() == 1


def test_the_dimensions_tab_takes_the_same_path_in_the_users_scope(
    client, survey_data, ward_manager_wang, settings
):
    settings.INSIGHTS_INLINE_RESPONSES = 50  # the ward manager sees the 50 paediatrics responses
    assert _get(client, ward_manager_wang, "dimensions").context["result"] is None
    run = AnalysisRun.objects.get()
    run_execute(run_id=run.pk)
    shown = _get(client, ward_manager_wang, "dimensions")
    assert shown.context["result"]["overall"]["n"] == 50
    assert "心血管内科" not in shown.content.decode()


def test_below_the_limit_the_indexes_are_computed_on_the_request(client, survey_data, quality_officer_qian):
    assert _get(client, quality_officer_qian).context["result"]["n"] == 110
    assert not AnalysisRun.objects.exists()


def test_a_failed_run_shows_its_error_and_is_asked_again_ten_minutes_later(
    client, survey_data, quality_officer_qian, large
):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        _get(client, quality_officer_qian)
        run = AnalysisRun.objects.get()
        run_claim(run_id=run.pk)  # a worker takes it, then the analysis fails as a worker records it
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, error="样本不足", finished_at=timezone.now()
        )
        page = _get(client, quality_officer_qian)
        assert page.context["error"] == "样本不足" and 'id="analysis-error"' in page.content.decode()
        assert page.context["updating"] is None  # nothing computing, no earlier figures: only the error
        assert AnalysisRun.objects.count() == 1  # not asked again at once
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 11, tzinfo=dt.UTC), tick=False):
        assert _get(client, quality_officer_qian).context["updating"]["run"].status == RunStatus.QUEUED
    assert AnalysisRun.objects.count() == 2


@pytest.mark.parametrize(
    "case",
    [
        ("items", RunKind.DISTRIBUTIONS, 'id="items-table"'),
        ("trends", RunKind.TRENDS, 'id="trend-table"'),
        ("benchmark", RunKind.BENCHMARK, 'id="benchmark-table"'),
        ("ipa", RunKind.IPA, 'id="ipa-chart"'),
        ("comments", RunKind.COMMENTS, 'id="comment-summary"'),
    ],
)
def test_every_fast_tab_hands_a_large_selection_to_a_background_run(
    client, survey_data, quality_officer_qian, large, case
):
    page, kind, shown = case  # the tab, the run it asks, and what its figures draw
    first = _get(client, quality_officer_qian, page)
    assert first.context["result"] is None and 'id="analysis-updating"' in first.content.decode()
    assert shown not in first.content.decode()
    run = AnalysisRun.objects.get()
    assert (run.kind, run.status) == (kind, RunStatus.QUEUED)

    run_execute(run_id=run.pk)
    panel = client.get(reverse("insights:run_detail", args=[run.pk]))
    assert 'id="figures-ready"' in panel.content.decode()  # the progress poll ends in "show them"
    after = _get(client, quality_officer_qian, page)
    assert after.context["result"] == AnalysisRun.objects.get().result
    assert after.context["updating"] is None and shown in after.content.decode()


def test_a_large_selections_comments_are_computed_apart_for_those_who_may_not_read_them(
    client, survey_data, quality_officer_qian, executive_zhao, large
):
    """The executive (no ``insights.view_comments``) never reuses the quality officer's run, whose
    result quotes masked examples: the permission is part of the run's key."""
    _get(client, quality_officer_qian, "comments")
    _get(client, executive_zhao, "comments")
    runs = {run.requested_by: run for run in AnalysisRun.objects.all()}
    assert set(runs) == {quality_officer_qian, executive_zhao}
    assert runs[quality_officer_qian].selection_hash != runs[executive_zhao].selection_hash
    for run in runs.values():
        run_execute(run_id=run.pk)
    assert _get(client, quality_officer_qian, "comments").context["result"]["examples_shown"] is True
    assert _get(client, executive_zhao, "comments").context["result"]["examples_shown"] is False
