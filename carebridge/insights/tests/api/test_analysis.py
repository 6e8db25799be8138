"""The insights API: fast analyses scoped to the caller, and background runs started and read."""

from __future__ import annotations

import pytest
from django.urls import reverse

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
