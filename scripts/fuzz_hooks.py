"""Schemathesis hooks for ``scripts/fuzz-api`` (loaded through ``SCHEMATHESIS_HOOKS``).

One hook: a request is only sent to the operation whose path it actually names. OpenAPI matches a
concrete path before a templated one ("/patients/search/" before "/patients/{id}/"), and so does
Django's router; schemathesis's stateful phase does not. It reads the ``next`` link of a registry
search (``POST /api/v1/patients/search/?page=2``), matches "/patients/search/" with its router, which
ignores the concrete path because that one has no GET, and then sends ``GET /patients/search/`` as
if "search" were a patient's id. The server rightly answers 405 (the resource allows POST only), and
the fuzzer reports a status code that ``GET /patients/{id}/`` does not document. Such a case tests no
operation of the schema, so it is dropped before it is sent; every other case, a patient id of
"abc" included, is sent and checked as before.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import schemathesis


@cache
def _concrete_paths(paths: tuple[str, ...]) -> frozenset[str]:
    return frozenset(path for path in paths if "{" not in path)


def names_another_path(case: Any) -> bool:
    """Whether the case's URL is a concrete path of the schema other than its operation's template."""
    if not case.path_parameters:
        return False
    paths = tuple(case.operation.schema.raw_schema.get("paths", {}))
    return case.formatted_path in _concrete_paths(paths)


@schemathesis.hook
def filter_case(context: Any, case: Any) -> bool:
    return not names_another_path(case)
