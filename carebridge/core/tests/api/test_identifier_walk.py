"""Every API response of the demo hospital, for every demo role, carries no full phone number and no
full national ID (issue 19: family phones came back whole from the follow-up API).

The walk reads the OpenAPI document: every GET operation without path parameters is called, and each
detail or sub-resource operation (``{id}`` in the path) for the first ids of the list it belongs to.
Reveal endpoints are POSTs and so are never walked: a GET shows masked identifiers, always.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from carebridge.core.tests.support.demo import whole_demo_in_transaction

ROLES = (
    "agent",
    "ward_manager",
    "clinician",
    "checkup_staff",
    "guide_nurse",
    "chief_examiner",
    "complaint_officer",
    "quality_officer",
    "dept_head",
    "executive",
    "admin",
)
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
DETAILS_PER_LIST = 2
TEXT_TYPES = ("application/json", "text/")


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    yield from whole_demo_in_transaction(django_db_blocker)


def _operations() -> tuple[list[str], list[str]]:
    """GET paths of the API without and with path parameters."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    plain, templated = [], []
    for path, operations in schema["paths"].items():
        if "get" not in operations or not path.startswith("/api/"):
            continue
        (templated if "{" in path else plain).append(path)
    return sorted(plain), sorted(templated)


def _ids(body: Any) -> list[Any]:
    rows = body.get("results", []) if isinstance(body, dict) else body if isinstance(body, list) else []
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row][:DETAILS_PER_LIST]


def _leaks(text: str) -> list[str]:
    return FULL_ID.findall(text) + FULL_MOBILE.findall(text)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_api_response_of_the_demo_shows_a_full_phone_or_national_id(demo, role):
    user = get_user_model().objects.get(username=role)
    client = APIClient()
    client.force_authenticate(user)
    plain, templated = _operations()
    seen: dict[str, list[Any]] = {}
    leaks: list[str] = []
    walked = 0

    def visit(url: str) -> Any:
        nonlocal walked
        response = client.get(url)
        walked += 1
        assert response.status_code < 500, (role, url, response.status_code)
        kind = response.get("Content-Type", "")
        if not kind.startswith(TEXT_TYPES):
            return None
        content = b"".join(response.streaming_content) if response.streaming else response.content
        text = content.decode("utf-8", "replace")
        leaks.extend(f"{url}: {value}" for value in _leaks(text))
        return (
            response.json() if kind.startswith("application/json") and response.status_code == 200 else None
        )

    for path in plain:
        seen[path] = _ids(visit(path))
    for path in templated:
        parent = re.sub(r"\{[^}]+\}/.*$", "", path)
        names = re.findall(r"\{([^}]+)\}", path)
        if len(names) != 1 or parent not in seen:
            continue
        for value in seen[parent]:
            visit(path.replace("{" + names[0] + "}", str(value)))
    assert walked > 40
    assert leaks == [], leaks[:20]
