"""A web worker's start-up must not load the statistics stack (issue 18, item 5).

``import carebridge.urls`` imports every view; the analyses and the monthly report import pandas, scipy
and statsmodels (about 1.5 s and 150 MB per worker) on their first use instead. Run in a fresh interpreter,
since the test process itself has long imported them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
HEAVY = ("pandas", "scipy", "statsmodels")


def _loaded_after(statement: str) -> list[str]:
    code = (
        "import json, os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'carebridge.settings')\n"
        "import django\n"
        "django.setup()\n"
        f"{statement}\n"
        f"print(json.dumps(sorted({{n.split('.')[0] for n in sys.modules}} & set({HEAVY!r}))))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_url_configuration_does_not_import_the_statistics_stack() -> None:
    assert _loaded_after("import carebridge.urls") == []


def test_the_statistics_stack_still_loads_on_first_use() -> None:
    # The lazy imports are real imports: the report builder brings pandas when it is used.
    assert "pandas" in _loaded_after("import carebridge.insights.selectors.report_document")
