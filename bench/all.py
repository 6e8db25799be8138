"""``make bench``: every suite at a stated size, one results table.

    make bench                                      # every suite at the "small" sizes below
    make bench BENCH_ARGS="--only registry followup-queue"
    make bench BENCH_ARGS="--size large"            # the issue's sizes (hours; a quiet machine)

Each suite runs in its own process (``bench/<suite>.py`` with the arguments of its size) and records
every figure beside the baseline it measured in the same run (``bench/results.py``). At the end the
table — suite, figure, size, CareBridge, baseline, ratio, load average, date, commit — is printed and
written to ``bench/results.md`` (``--output``), which the figures in ``bench/README.md`` are quoted
from. A suite that fails is reported in the table and the others still run. Figures are printed,
never asserted; the ratio is what to compare between runs on a shared machine.

Databases are created once and kept (``<BENCH_DB_PREFIX><name>``, default ``carebridge_bench_``): a
second run only measures. ``--drop`` drops the ones this run used at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from results import commit, db_name, load_average  # noqa: E402

# name -> (script, small arguments, large arguments, extra environment)
SUITES: dict[str, tuple[str, list[str], list[str], dict[str, str]]] = {
    "insights-panel": (
        "insights_panel.py",
        ["--rows", "200000", "--per-factor", "5"],
        ["--rows", "1000000"],
        {},
    ),
    "survey-submissions": ("survey_submissions.py", ["--clients", "200"], ["--clients", "200"], {}),
    # The shipped worker model (gunicorn.conf.py: 2 × 4) above; the one it replaced (2 × 8), in the same
    # run, below.
    "survey-submissions-2x8": (
        "survey_submissions.py",
        ["--clients", "200", "--workers", "2", "--threads", "8"],
        ["--clients", "200", "--workers", "2", "--threads", "8"],
        {},
    ),
    "insights-dashboard": (
        "insights_dashboard.py",
        ["--responses", "100000", "--repeat", "3"],
        # The pages too: their first request asks a background run (executed by the bench as the
        # worker would, ~5 min at this size) instead of analysing 10,000,000 responses on the request.
        ["--responses", "10000000", "--repeat", "5"],
        {},
    ),
    "registry": (
        "run.py",
        ["--synthetic", "--patients", "20000", "--repeat", "10"],
        ["--synthetic", "--patients", "1000000", "--repeat", "30"],
        {},
    ),
    "followup-queue": (
        "followup_queue.py",
        [
            "--synthetic",
            "--patients",
            "20000",
            "--touchpoints",
            "2000",
            "--repeat",
            "10",
            "--agents",
            "10",
            "--claims",
            "10",
        ],
        ["--synthetic", "--patients", "1000000", "--touchpoints", "100000"],
        {},
    ),
    "checkup-day": ("checkup_day.py", ["--visits", "500", "--repeat", "5"], ["--repeat", "30"], {}),
    "interop-mllp": ("interop_mllp.py", ["--visits", "20"], ["--visits", "60"], {}),
    "scorecard-cockpit": (
        "scorecard_cockpit.py",
        ["--synthetic", "100000", "--repeat", "5"],
        ["--synthetic", "1000000", "--repeat", "20"],
        {},
    ),
    "loader": ("loader.py", ["--patients", "2000"], ["--patients", "100000"], {}),
}
DATABASES = (
    "2000",
    "queue_20000",
    "surveys",
    "responses_100000",
    "checkup",
    "interop",
    "scorecard_100000",
    "scorecard_1000000",
    "load_schema",
)


def _table(rows: list[dict[str, object]], failures: dict[str, str], started: str, size: str) -> str:
    lines = [
        "# Bench results",
        "",
        f"`make bench` (`bench/all.py --size {size}`), started {started}, commit {commit()}, on "
        f"{os.cpu_count()} cores. Ratio = CareBridge ÷ baseline measured in the same run (for a rate, "
        "below 1 is slower; for a time, above 1 is slower). Load = 1-minute load average when the "
        "figure was taken.",
        "",
        "| suite | figure | size | CareBridge | baseline | ratio | load | date | commit |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        unit = str(row["unit"])
        value = f"{row['value']:,.1f} {unit}".strip()
        baseline = (
            "" if row["baseline"] is None else f"{row['baseline']:,.1f} {unit} ({row['baseline_name']})"
        )
        ratio = "" if row["ratio"] is None else f"{row['ratio']:.2f}"
        lines.append(
            f"| {row['suite']} | {row['figure']} | {row['size']} | {value} | {baseline} | {ratio} "
            f"| {row['load']} | {row['at']} | {row['commit']} |"
        )
    for suite, reason in failures.items():
        lines.append(f"| {suite} | **failed**: {reason} | | | | | | | |")
    return "\n".join(lines) + "\n"


def _drop(base: str) -> None:
    import psycopg

    admin = urlunparse(urlparse(base)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        for suffix in DATABASES:
            conn.execute(f'DROP DATABASE IF EXISTS "{db_name(suffix)}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="+", choices=sorted(SUITES), help="run only these suites")
    parser.add_argument("--size", choices=("small", "large"), default="small")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--drop", action="store_true", help="drop the bench databases at the end")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    failures: dict[str, str] = {}
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as sink:
        results = sink.name
    for name in args.only or list(SUITES):
        script, small, large, extra = SUITES[name]
        command = [sys.executable, str(ROOT / "bench" / script), *(small if args.size == "small" else large)]
        print(f"\n######## {name}: {' '.join(command[1:])} (load {load_average()})", flush=True)
        env = {**os.environ, **extra, "BENCH_RESULTS": results, "DATABASE_URL": base}
        begun = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, check=False)
        print(f"######## {name}: {time.perf_counter() - begun:.0f} s, exit {done.returncode}", flush=True)
        if done.returncode:
            failures[name] = f"exit {done.returncode}"
    rows = [json.loads(line) for line in Path(results).read_text(encoding="utf-8").splitlines() if line]
    Path(results).unlink(missing_ok=True)
    table = _table(rows, failures, started, args.size)
    Path(args.output).write_text(table, encoding="utf-8")
    print("\n" + table)
    print(f"written to {args.output}")
    if args.drop:
        _drop(base)


if __name__ == "__main__":
    main()
