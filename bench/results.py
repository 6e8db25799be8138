"""What every bench shares: the database names it may use, and one results row per figure.

``make bench`` (``bench/all.py``) sets ``BENCH_RESULTS`` to a file; each suite calls :func:`record` for
every figure it prints, beside the baseline measured in the same run, and ``all.py`` turns the rows
into the table of ``bench/results.md`` (figure, size, value, baseline, ratio, load average, date,
commit). Run alone, a suite only prints.

``BENCH_DB_PREFIX`` (default ``carebridge_bench_``) names the databases a bench creates, so two people
(or two sessions on one machine) can bench side by side: ``BENCH_DB_PREFIX=carebridge_bench_speed_``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def db_name(suffix: str) -> str:
    """The bench database ``<prefix><suffix>`` (``carebridge_bench_2000`` by default)."""
    return f"{os.environ.get('BENCH_DB_PREFIX', 'carebridge_bench_')}{suffix}"


def load_average() -> float:
    return round(os.getloadavg()[0], 1)


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, fixed arguments
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def record(  # noqa: PLR0917
    suite: str,
    figure: str,
    size: str,
    value: float,
    baseline: float | None,
    unit: str,
    *,
    higher_is_better: bool = False,
    baseline_name: str = "bare SQL",
) -> None:
    """One figure and its same-run baseline. The ratio is CareBridge ÷ baseline for times, and
    CareBridge ÷ baseline for rates too (``higher_is_better``: a rate ratio of 0.5 is half the speed)."""
    ratio = None if not baseline else value / baseline
    row = {
        "suite": suite,
        "figure": figure,
        "size": size,
        "value": round(value, 3),
        "baseline": None if baseline is None else round(baseline, 3),
        "baseline_name": baseline_name,
        "ratio": None if ratio is None else round(ratio, 3),
        "unit": unit,
        "higher_is_better": higher_is_better,
        "load": load_average(),
        "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
    }
    target = os.environ.get("BENCH_RESULTS")
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
