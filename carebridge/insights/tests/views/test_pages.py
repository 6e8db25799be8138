"""The insights pages: they load for the quality office, stay in a ward manager's scope, and the
slow analyses run in the background and show their result."""

from __future__ import annotations

import pytest
from django.urls import reverse

from carebridge.insights.choices import RunStatus
from carebridge.insights.models import AnalysisRun
from carebridge.insights.services.runs import run_execute

pytestmark = pytest.mark.django_db


PAGES = (
    "overview",
    "dimensions",
    "items",
    "psychometrics",
    "csi",
    "ipa",
    "drivers",
    "trends",
    "benchmark",
    "comments",
    "ahp",
)


def _client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads_for_the_quality_office(client, survey_data, quality_officer_qian, page):
    response = _client(client, quality_officer_qian).get(reverse(f"insights:{page}"))
    assert response.status_code == 200
    assert b'id="insights-tabs"' in response.content


@pytest.mark.parametrize(
    "page", ["overview", "dimensions", "items", "trends", "benchmark", "ipa", "comments"]
)
def test_a_ward_manager_sees_no_cardiology_numbers(client, survey_data, ward_manager_wang, page):
    response = _client(client, ward_manager_wang).get(reverse(f"insights:{page}"))
    assert response.status_code == 200
    assert "心血管内科" not in response.content.decode()


def test_the_overview_shows_the_index_n_and_nps(client, survey_data, ward_manager_wang, quality_officer_qian):
    wang = _client(client, ward_manager_wang).get(reverse("insights:overview"))
    assert wang.context["result"]["n"] == 50
    client.logout()
    qian = _client(client, quality_officer_qian).get(reverse("insights:overview"))
    assert qian.context["result"]["n"] == 110
    assert qian.context["result"]["nps"]["n"] == 110
    assert 'id="kpi-index"' in qian.content.decode() and "心血管内科" in qian.content.decode()


def test_the_benchmark_page_takes_the_adjusters_chosen(client, survey_data, quality_officer_qian):
    url = reverse("insights:benchmark") + "?adjusters_set=1&adjusters=sex&mode=0&p_adjust=BH"
    result = _client(client, quality_officer_qian).get(url).context["result"]
    assert result["adjusters"] == {"numeric": [], "categorical": ["sex"], "mode": False}
    assert result["p_adjust"] == "BH"


def test_executives_see_topic_counts_but_no_comment(client, survey_data, executive_zhao):
    response = _client(client, executive_zhao).get(reverse("insights:comments"))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="counts-only"' in body
    assert "排队太久" not in body


def test_the_quality_office_reads_masked_comments(client, survey_data, quality_officer_qian):
    body = _client(client, quality_officer_qian).get(reverse("insights:comments")).content.decode()
    assert "排队太久" in body and "138****5678" in body and "13812345678" not in body


def test_users_without_the_permission_are_refused(client, survey_data, clinician_zhou, outsider):
    assert _client(client, clinician_zhou).get(reverse("insights:overview")).status_code == 403
    client.logout()
    assert client.get(reverse("insights:overview")).status_code == 302  # to the login page


def test_a_page_without_data_says_so(client, quality_officer_qian):
    response = _client(client, quality_officer_qian).get(reverse("insights:overview"))
    assert response.status_code == 200 and 'id="no-data"' in response.content.decode()


def test_a_background_run_goes_from_queued_to_done_and_the_page_shows_it(
    client, survey_data, quality_officer_qian, django_capture_on_commit_callbacks
):
    _client(client, quality_officer_qian)
    page = client.get(reverse("insights:drivers"))
    assert 'id="run-button"' in page.content.decode()
    instrument = survey_data["version"].instrument_id
    # The run is queued in the request's transaction; its task is sent only on commit (not run here).
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("insights:run_create"), {"kind": "drivers", "instrument": instrument})
    assert response.status_code == 200 and len(callbacks) == 1
    run = AnalysisRun.objects.get()
    assert run.status == RunStatus.QUEUED and run.requested_by == quality_officer_qian
    assert 'id="run-progress"' in response.content.decode()
    assert client.get(reverse("insights:run_detail", args=[run.pk])).context["run"].status == RunStatus.QUEUED
    run_execute(run_id=run.pk)  # what the worker's task does
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    assert run.result["drivers"][0]["pct"] > 0
    polled = client.get(reverse("insights:run_detail", args=[run.pk])).content.decode()
    assert 'id="driver-table"' in polled
    again = client.get(reverse("insights:drivers"))
    assert again.context["run"] == run and 'id="driver-chart"' in again.content.decode()
    # A second request for the same answers reuses the run instead of computing again.
    client.post(reverse("insights:run_create"), {"kind": "drivers", "instrument": instrument})
    assert AnalysisRun.objects.count() == 1


def test_a_run_that_cannot_be_computed_fails_with_its_reason(client, survey_data, quality_officer_qian):
    _client(client, quality_officer_qian)
    client.post(
        reverse("insights:run_create"), {"kind": "csi", "instrument": survey_data["version"].instrument_id}
    )
    run = AnalysisRun.objects.get()
    run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "CSI" in run.error and run.failure == "data"
    assert 'id="run-failed"' in client.get(reverse("insights:csi")).content.decode() or run.status == "failed"


def test_another_scope_cannot_read_a_run(client, survey_data, quality_officer_qian, ward_manager_wang):
    _client(client, quality_officer_qian)
    client.post(
        reverse("insights:run_create"),
        {"kind": "drivers", "instrument": survey_data["version"].instrument_id},
    )
    run = AnalysisRun.objects.get()
    client.logout()
    assert (
        _client(client, ward_manager_wang).get(reverse("insights:run_detail", args=[run.pk])).status_code
        == 404
    )


def test_the_psychometric_panel_shows_each_htmt_pair_once_with_its_threshold(
    client, survey_data, quality_officer_qian, django_capture_on_commit_callbacks
):
    _client(client, quality_officer_qian)
    instrument = survey_data["version"].instrument_id
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("insights:run_create"), {"kind": "psychometrics", "instrument": instrument})
    run = AnalysisRun.objects.get()
    run_execute(run_id=run.pk)
    run.refresh_from_db()
    triangle = run.result["cfa"]["htmt_triangle"]
    constructs = run.result["cfa"]["constructs"]
    # k constructs give k(k-1)/2 pairs, each once: row i holds the i pairs with the constructs before it.
    assert [len(row["cells"]) for row in triangle["rows"]] == list(range(1, len(constructs)))
    for row in triangle["rows"]:
        for cell in row["cells"]:
            assert cell["status"] == ("ok" if cell["value"] < 0.85 else "weak")
    page = client.get(reverse("insights:run_detail", args=[run.pk])).content.decode()
    assert 'id="htmt"' in page and triangle["rows"][0]["label"] in page
