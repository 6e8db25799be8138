"""URLs of the registry pages and API, and what a list response holds (shared by the page and scope tests)."""

from __future__ import annotations

LIST = "/patients/"
API_LIST = "/api/v1/patients/"


def detail_url(patient):
    return f"/patients/{patient.pk}/"


def api_detail_url(patient):
    return f"/api/v1/patients/{patient.pk}/"


def listed(response) -> set[int]:
    return {p.pk for p in response.context["page"].object_list}


def api_listed(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}
