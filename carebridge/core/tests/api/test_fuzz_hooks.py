"""The API fuzzing's hook (``scripts/fuzz_hooks.py``) drops only cases aimed at another, concrete path.

CI's fuzzing once followed a registry search's ``next`` link and sent ``GET /api/v1/patients/search/``
as ``GET /api/v1/patients/{id}/`` with the id "search"; the 405 the search answers was reported as an
undocumented status of the patient read. The hook must drop exactly that kind of case and keep every
other, a non-numeric id included (that one must still be sent and answered 404).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator

HOOKS = Path(__file__).resolve().parents[4] / "scripts" / "fuzz_hooks.py"


@pytest.fixture(scope="module")
def hooks():
    spec = importlib.util.spec_from_file_location("fuzz_hooks", HOOKS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(json.dumps(document, default=str)))


@pytest.mark.parametrize(
    ("operation", "parameters", "dropped"),
    [
        (("/api/v1/patients/{id}/", "GET"), {"id": "search"}, True),
        (("/api/v1/patients/{id}/", "GET"), {"id": 5}, False),
        (("/api/v1/patients/{id}/", "GET"), {"id": "abc"}, False),
        (("/api/v1/patients/{id}/reveal/", "POST"), {"id": "search"}, False),
        (("/api/v1/patients/", "GET"), {}, False),
    ],
)
def test_only_a_case_naming_a_concrete_path_is_dropped(hooks, schema, operation, parameters, dropped):
    path, method = operation
    case = schema[path][method].Case(path_parameters=parameters)
    assert hooks.names_another_path(case) is dropped
    assert hooks.filter_case(None, case) is not dropped
