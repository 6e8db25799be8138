"""The OpenAPI document of every app validates and generates without a single warning.

drf-spectacular warns about ambiguous enum names, unresolvable serializers and the like; each warning is
a client generator producing a worse client, so the build treats them as errors (as ``--fail-on-warn``).
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    for path in ("/api/v1/followup/queue/", "/api/v1/surveys/waves/", "/api/v1/insights/runs/"):
        assert path in text
    assert "/api/public/surveys/" in text or "/api/public/" not in text


@pytest.fixture(scope="module")
def document():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _ok(document, path):
    return document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


# What the API fuzzing's response conformance check found answered otherwise than documented.
def test_an_output_field_that_defaults_to_none_is_nullable(document):
    schemas = document["components"]["schemas"]
    # ``actor = CharField(source="actor.get_username", default=None)``: a system step has no actor.
    assert schemas["TouchpointTransition"]["properties"]["actor"] == {"type": "string", "nullable": True}
    # A field without the default keeps its plain type.
    assert "nullable" not in schemas["TouchpointTransition"]["properties"]["to_status"]
    # A visit without a risk level has no label either.
    assert schemas["CheckupVisit"]["properties"]["risk_level_label"]["nullable"] is True


def test_a_time_of_day_is_documented_as_drf_writes_it(document):
    start = document["components"]["schemas"]["FollowupPolicy"]["properties"]["calling_start"]
    assert "format" not in start  # JSON Schema's "time" requires an offset: "08:30:00+08:00"
    pattern = re.compile(start["pattern"])
    for written in ("08:30:00", "20:30:00.250000", "23:59"):
        assert pattern.match(written)
    for other in ("24:00:00", "8:30", "08:30:00+08:00", "08:60"):
        assert not pattern.match(other)
    # A request keeps the format: DRF reads "8:30" and offsets too, which the pattern would refuse.
    quiet = document["components"]["schemas"]["WaveInputRequest"]["properties"]["quiet_start"]
    assert quiet["format"] == "time" and "pattern" not in quiet


def test_lists_are_documented_paginated_exactly_when_they_are(document):
    assert _ok(document, "/api/v1/followup/kpis/rows/") == {
        "$ref": "#/components/schemas/PaginatedKpiRowList"
    }
    for path in (
        "/api/v1/critical/notifications/{id}/attempts/",
        "/api/v1/performance/sessions/{id}/attendance/",
    ):
        assert _ok(document, path)["type"] == "array"
