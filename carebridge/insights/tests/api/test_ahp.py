"""The AHP check of the insights API: weights and consistency of a matrix, a 400 for a malformed one."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_api_checks_a_matrix(api_client, quality_officer_qian):
    client = api_client(quality_officer_qian)
    url = reverse("insights-ahp-check")
    ok = client.post(url, {"labels": ["a", "b"], "matrix": [[1, 3], [1 / 3, 1]]}, format="json")
    assert ok.status_code == 200 and ok.json()["weights"]["a"] == pytest.approx(0.75)
    bad = client.post(
        url,
        {"labels": ["a", "b", "c"], "matrix": [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]},
        format="json",
    )
    assert bad.status_code == 200 and bad.json()["consistent"] is False and "CR" in bad.json()["message"]
    wrong = client.post(url, {"labels": ["a", "b"], "matrix": [[1, 3]]}, format="json")
    assert wrong.status_code == 400 and "matrix" in wrong.json()
