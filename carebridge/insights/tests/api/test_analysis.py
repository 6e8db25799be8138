"""The insights API: fast analyses scoped to the caller, and background runs started and read."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from carebridge.insights.choices import RunFailure, RunStatus
from carebridge.insights.models import AnalysisRun
from carebridge.insights.services.runs import run_execute

pytestmark = pytest.mark.django_db


def test_the_api_returns_scoped_analyses(api_client, survey_data, ward_manager_wang, quality_officer_qian):
    instrument = survey_data["version"].instrument_id
    url = reverse("insights-analysis", args=["indexes"])
    wang = api_client(ward_manager_wang).get(url, {"instrument": instrument})
    assert wang.status_code == 200 and wang.json()["result"]["n"] == 50
    qian = api_client(quality_officer_qian)
    bench = qian.get(
        reverse("insights-analysis", args=["benchmark"]), {"instrument": instrument, "by": "ward"}
    )
    assert bench.status_code == 200
    assert qian.get(url, {"instrument": "x"}).status_code == 400
    assert qian.get(url, {"instrument": instrument, "by": "planet"}).status_code == 400
    assert qian.get(reverse("insights-analysis", args=["csi"]), {"instrument": instrument}).status_code == 404


def test_the_api_starts_and_reads_runs(api_client, survey_data, quality_officer_qian):
    client = api_client(quality_officer_qian)
    payload = {"kind": "drivers", "selection": {"instrument": survey_data["version"].instrument_id}}
    created = client.post(reverse("insights-run-list"), payload, format="json")
    assert created.status_code == 202 and created.json()["status"] == "queued"
    run_execute(run_id=created.json()["id"])
    read = client.get(reverse("insights-run-detail", args=[created.json()["id"]]))
    assert read.json()["status"] == "done" and read.json()["result"]["drivers"]
    bad = client.post(reverse("insights-run-list"), {"kind": "nope", "selection": {}}, format="json")
    assert bad.status_code == 400 and "kind" in bad.json()


def test_the_api_hands_a_large_selection_to_a_run_and_answers_202_until_it_is_done(
    api_client, survey_data, quality_officer_qian, settings
):
    """Above ``INSIGHTS_INLINE_RESPONSES`` the GET computes nothing on the request (at 10,000,000
    responses it took 284 s and 15 GB): it answers 202 with the run to poll, then the run's figures."""
    settings.INSIGHTS_INLINE_RESPONSES = 100  # the 110 responses of survey_data count as large
    client = api_client(quality_officer_qian)
    url = reverse("insights-analysis", args=["trends"])
    query = {"instrument": survey_data["version"].instrument_id}
    first = client.get(url, query)
    assert first.status_code == 202
    body = first.json()
    assert (body["current"], body["result"], body["computed_at"]) == (False, None, None)
    run = AnalysisRun.objects.get()
    assert (body["run"]["id"], body["run"]["status"], run.kind) == (run.pk, "queued", "trends")
    assert client.get(url, query).json()["run"]["id"] == run.pk  # polled again: the same run

    run_execute(run_id=run.pk)
    done = client.get(url, query)
    assert done.status_code == 200
    assert done.json() == {"kind": "trends", "current": True, "result": AnalysisRun.objects.get().result}
    assert AnalysisRun.objects.count() == 1


@pytest.mark.parametrize(
    "failure",
    [
        (RunFailure.DATA, 400, {"non_field_errors": ["样本不足"]}),
        (
            RunFailure.INTERNAL,
            503,
            {"kind": "indexes", "current": False, "result": None, "error": "样本不足"},
        ),
    ],
)
def test_the_api_reports_a_large_selections_failed_run_by_its_cause(
    api_client, survey_data, quality_officer_qian, settings, failure
):
    """The data cannot support it: a 400, as for a small selection; a worker's fault: a 503 saying in how
    many seconds a new run will be asked for (ten minutes after the failure, four of them gone). Either
    way no new run at once."""
    kind, code, body = failure
    settings.INSIGHTS_INLINE_RESPONSES = 100
    client = api_client(quality_officer_qian)
    url = reverse("insights-analysis", args=["indexes"])
    query = {"instrument": survey_data["version"].instrument_id}
    assert client.get(url, query).status_code == 202
    run = AnalysisRun.objects.get()
    now = timezone.now()
    AnalysisRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error="样本不足", failure=kind, finished_at=now - dt.timedelta(minutes=4)
    )
    with time_machine.travel(now, tick=False):
        failed = client.get(url, query)
    assert (failed.status_code, failed.json()) == (code, body)
    assert failed.get("Retry-After") == ("360" if code == 503 else None)
    assert AnalysisRun.objects.count() == 1


def test_a_run_whose_requester_lost_the_right_does_not_hold_back_a_reader_who_has_it(
    api_client, survey_data, quality_officer_qian, settings
):
    """A run fails as "denied" when its requester lost the analysis right while it waited: that is not
    the selection's failure, so the next reader with the right gets a new run at once, not an error."""
    settings.INSIGHTS_INLINE_RESPONSES = 100
    client = api_client(quality_officer_qian)
    url = reverse("insights-analysis", args=["indexes"])
    query = {"instrument": survey_data["version"].instrument_id}
    assert client.get(url, query).status_code == 202
    denied = AnalysisRun.objects.get()
    AnalysisRun.objects.filter(pk=denied.pk).update(
        status=RunStatus.FAILED, error="无权访问", failure=RunFailure.DENIED, finished_at=timezone.now()
    )

    again = client.get(url, query)

    assert again.status_code == 202
    fresh = AnalysisRun.objects.exclude(pk=denied.pk).get()
    assert (again.json()["run"]["id"], fresh.status) == (fresh.pk, RunStatus.QUEUED)


def test_a_comments_run_that_quotes_comments_is_not_shown_to_who_may_not_read_them(
    api_client, survey_data, quality_officer_qian, executive_zhao, settings
):
    """Same scope, different rights: the executive (no ``insights.view_comments``) cannot read the
    quality officer's comments run through the runs API, whose result quotes comments."""
    settings.INSIGHTS_INLINE_RESPONSES = 100
    query = {"instrument": survey_data["version"].instrument_id}
    qian = api_client(quality_officer_qian)
    assert qian.get(reverse("insights-analysis", args=["comments"]), query).status_code == 202
    run = AnalysisRun.objects.get()
    assert run.parameters["examples"] is True
    run_execute(run_id=run.pk)
    assert qian.get(reverse("insights-run-detail", args=[run.pk])).json()["result"]["examples_shown"] is True
    zhao = api_client(executive_zhao)
    assert zhao.get(reverse("insights-run-detail", args=[run.pk])).status_code == 404
    own = zhao.get(reverse("insights-analysis", args=["comments"]), query).json()["run"]
    run_execute(run_id=own["id"])
    mine = zhao.get(reverse("insights-run-detail", args=[own["id"]]))
    assert mine.status_code == 200 and mine.json()["result"]["examples_shown"] is False


def test_below_the_limit_the_api_answers_the_current_figures_at_once(
    api_client, survey_data, quality_officer_qian
):
    response = api_client(quality_officer_qian).get(
        reverse("insights-analysis", args=["indexes"]), {"instrument": survey_data["version"].instrument_id}
    )
    assert response.status_code == 200
    assert (response.json()["current"], response.json()["result"]["n"]) == (True, 110)
    assert not AnalysisRun.objects.exists()
