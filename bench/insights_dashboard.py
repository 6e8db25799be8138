"""Benchmark of the satisfaction dashboard aggregate over 10,000,000 responses on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carebridge python bench/insights_dashboard.py
    python bench/insights_dashboard.py --responses 1000000 --repeat 10

The aggregate is what the dashboard and the report's trend ask: per month and department, the mean
overall index, n and its 95 % interval, plus the top-box share of one item, over the last 12 months.
Synthetic responses (30 departments, 24 months, five Likert items, the first also as ``Answer`` rows)
are loaded once with COPY into a database of their own (``carebridge_bench_responses``; a second run
only measures). Measured in the same run:

* CareBridge — ``report.selectors.monthly_summary`` on ``responses_in_scope`` (the scoped ORM path);
* bare SQL — the same aggregate hand-written in one pass;
* the bench's own materialized monthly aggregate (n, Σscore, Σscore², top-box counts per month ×
  department × instrument), read by the same arithmetic (what issue 18 proved before the product had one);
* the product's aggregate — ``insights.selectors.aggregates.monthly_cells`` (closed months from the
  materialized views ``insights_responsemonth`` / ``insights_answermonth`` that migration
  ``insights.0004`` creates and ``response_months_refresh`` refreshes CONCURRENTLY), beside bare SQL on
  the same two views as its baseline; the refresh is timed too;
* the pages that read it: the insights overview (``/insights/``, warm: its analysis cached as in
  production, the months from the aggregate) and the monthly report (``/insights/report/``, warm),
  through Django's test client as the bench executive.

Figures are printed (p50 / p95 in ms), never asserted.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse, urlunparse
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOSPITAL = "bench-responses"
DEPARTMENTS = 30
MONTHS = 24
LAST_MONTH = dt.date(2026, 10, 1)
ZONE = ZoneInfo("Asia/Shanghai")
CHUNK = 500_000
VIEW = "bench_response_monthly"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ] * 1000


def _time(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    function()  # warm the caches once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunparse(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
        check=True,
        env={**os.environ, "DATABASE_URL": url},
    )


DEFINITION = {
    "schema": 1,
    "code": "bench-inpatient",
    "title": {"zh-hans": "住院患者体验调查（基准）"},
    "dimensions": [
        {
            "code": "care",
            "title": {"zh-hans": "服务"},
            "indicators": [
                {
                    "code": "all",
                    "title": {"zh-hans": "全部"},
                    "items": [
                        {"code": f"q{i}", "type": "likert", "points": 5, "text": {"zh-hans": f"条目{i}"}}
                        for i in range(1, 6)
                    ],
                }
            ],
        }
    ],
}


def _organisation() -> tuple[object, object, object, object]:
    """The hospital, its departments, the instrument and an executive user (created once)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from carebridge.core.models import Department, Hospital, Staff
    from carebridge.surveys.domain.instruments import content_hash
    from carebridge.surveys.domain.library.rows import item_rows
    from carebridge.surveys.models import Instrument, InstrumentVersion, Item

    hospital, _ = Hospital.objects.get_or_create(
        code=HOSPITAL, defaults={"name": "基准医院", "level": "3A", "region_id": "320106"}
    )
    for i in range(DEPARTMENTS):
        Department.objects.get_or_create(
            hospital=hospital, code=f"B{i:02d}", defaults={"name": f"科室{i:02d}", "kind": "clinical"}
        )
    instrument, _ = Instrument.objects.get_or_create(
        hospital=hospital, code="bench-inpatient", defaults={"name": "住院患者体验调查", "kind": "inpatient"}
    )
    version, created = InstrumentVersion.objects.get_or_create(
        instrument=instrument,
        number=1,
        defaults={"status": "published", "definition": DEFINITION, "content_hash": content_hash(DEFINITION)},
    )
    if created:
        Item.objects.bulk_create([Item(version=version, **row) for row in item_rows(DEFINITION)])
    user, created = get_user_model().objects.get_or_create(username="bench_executive")
    if created:
        user.groups.add(Group.objects.get(name="executive"))
        Staff.objects.create(hospital=hospital, user=user, name="基准院领导", kind="admin")
    return hospital, instrument, version, user


def _load(total: int, hospital: object, version: object) -> None:
    """COPY ``total`` synthetic responses, then their q1 answers; skipped when already there."""
    from django.db import connection

    from carebridge.surveys.models import Item, Response

    # Each chunk commits on its own, so an interrupted load resumes where it stopped.
    present = Response.objects.filter(hospital=hospital).count()
    departments = list(hospital.departments.values_list("id", flat=True))  # type: ignore[attr-defined]
    rng = np.random.default_rng(7 + present)
    first = dt.datetime.combine(LAST_MONTH.replace(year=LAST_MONTH.year - 2), dt.time(), ZONE).astimezone(
        dt.UTC
    )
    span = (
        dt.datetime.combine(dt.date(2026, 11, 1), dt.time(), ZONE).astimezone(dt.UTC) - first
    ).total_seconds()
    effects = rng.normal(0, 0.35, len(departments))
    started = time.perf_counter()
    columns = (
        "hospital_id, version_id, respondent_class, department_id, mode, language, submitted_at, "
        "answers, score, dimension_scores, adjusters, created_at"
    )
    with connection.cursor() as cursor:
        for offset in range(present, total, CHUNK):
            size = min(CHUNK, total - offset)
            unit = rng.integers(0, len(departments), size)
            seconds = np.sort(rng.uniform(0, span, size))
            latent = 3.9 + effects[unit] + rng.normal(0, 0.8, size)
            answers = np.clip(np.rint(latent[:, None] + rng.normal(0, 0.6, (size, 5))), 1, 5).astype(int)
            scores = (answers.mean(axis=1) - 1) * 25
            when = (
                np.datetime_as_string(
                    np.datetime64(first.replace(tzinfo=None), "s") + seconds.astype("timedelta64[s]"),
                    unit="s",
                ).astype(object)
                + "+00:00"
            )
            frame = pd.DataFrame(
                {
                    "hospital": hospital.pk,  # type: ignore[attr-defined]
                    "version": version.pk,  # type: ignore[attr-defined]
                    "class": "patient",
                    "department": np.asarray(departments)[unit],
                    "mode": np.where(np.arange(size) % 5 == 0, "phone", "web"),
                    "language": "zh-hans",
                    "submitted": when,
                    "answers": '{"q1": '
                    + pd.Series(answers[:, 0]).astype(str)
                    + ', "q2": '
                    + pd.Series(answers[:, 1]).astype(str)
                    + ', "q3": '
                    + pd.Series(answers[:, 2]).astype(str)
                    + ', "q4": '
                    + pd.Series(answers[:, 3]).astype(str)
                    + ', "q5": '
                    + pd.Series(answers[:, 4]).astype(str)
                    + "}",
                    "score": np.round(scores, 4),
                    "dimensions": "{}",
                    "adjusters": "{}",
                    "created": when,
                }
            )
            buffer = io.StringIO()
            frame.to_csv(buffer, sep="\t", header=False, index=False, quoting=csv.QUOTE_NONE, escapechar="\\")
            buffer.seek(0)
            with cursor.cursor.copy(f"COPY surveys_response ({columns}) FROM STDIN") as copy:
                copy.write(buffer.read())
            print(f"  loaded {offset + size:,} responses ({time.perf_counter() - started:.0f} s)", flush=True)
        item = Item.objects.get(version=version, code="q1")
        cursor.execute(
            "INSERT INTO surveys_answer (response_id, item_id, value, not_applicable) "
            "SELECT id, %s, (answers->>'q1')::float, false FROM surveys_response WHERE hospital_id = %s "
            "AND id > (SELECT coalesce(max(response_id), 0) FROM surveys_answer WHERE item_id = %s)",
            [item.pk, hospital.pk, item.pk],  # type: ignore[attr-defined]
        )
        cursor.execute("ANALYZE surveys_response; ANALYZE surveys_answer")
    print(
        f"  loaded {max(total - present, 0):,} responses and their answers "
        f"in {time.perf_counter() - started:.0f} s"
    )


def _window() -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(dt.date(2025, 11, 1), dt.time(), ZONE).astimezone(dt.UTC)
    end = dt.datetime.combine(dt.date(2026, 11, 1), dt.time(), ZONE).astimezone(dt.UTC)
    return start, end


BARE_SQL = """
SELECT date_trunc('month', r.submitted_at AT TIME ZONE 'Asia/Shanghai') AS month, r.department_id,
       count(*), avg(r.score), stddev_samp(r.score),
       count(*) FILTER (WHERE a.value >= 4), count(a.value)
FROM surveys_response r
JOIN surveys_instrumentversion v ON v.id = r.version_id
LEFT JOIN surveys_answer a ON a.response_id = r.id AND a.item_id = %s AND NOT a.not_applicable
WHERE r.hospital_id = %s AND v.instrument_id = %s AND r.score IS NOT NULL
  AND r.submitted_at >= %s AND r.submitted_at < %s
GROUP BY 1, 2 ORDER BY 1, 2
"""

MATERIALIZED = f"""
CREATE MATERIALIZED VIEW IF NOT EXISTS {VIEW} AS
SELECT r.hospital_id, v.instrument_id, r.department_id,
       date_trunc('month', r.submitted_at AT TIME ZONE 'Asia/Shanghai') AS month,
       count(*) AS n, sum(r.score) AS total, sum(r.score * r.score) AS squares,
       count(*) FILTER (WHERE a.value >= 4) AS top_box, count(a.value) AS answered
FROM surveys_response r
JOIN surveys_instrumentversion v ON v.id = r.version_id
LEFT JOIN surveys_answer a ON a.response_id = r.id AND a.item_id = %s AND NOT a.not_applicable
WHERE r.score IS NOT NULL
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX IF NOT EXISTS {VIEW}_key ON {VIEW} (hospital_id, instrument_id, month, department_id);
"""

READ_VIEW = f"""
SELECT month, department_id, n, total / n AS mean,
       sqrt(greatest(squares - total * total / n, 0) / nullif(n - 1, 0)) AS sd, top_box, answered
FROM {VIEW}
WHERE hospital_id = %s AND instrument_id = %s AND department_id = ANY(%s)
  AND month >= %s AND month < %s
ORDER BY month, department_id
"""


# The product's aggregate read by hand: the same cells as ``monthly_cells`` for closed months.
PRODUCT_SQL = """
SELECT m.month, nullif(m.department_id, 0), m.n, m.total / m.n,
       sqrt(greatest(m.squares - m.total * m.total / m.n, 0) / nullif(m.n - 1, 0)), t.top, t.answered
FROM insights_responsemonth m
LEFT JOIN (
    SELECT month, department_id, sum(answers) FILTER (WHERE value >= 4) AS top, sum(answers) AS answered
    FROM insights_answermonth
    WHERE hospital_id = %s AND instrument_id = %s AND item_code = 'q1' AND month >= %s AND month <= %s
    GROUP BY 1, 2
) t ON t.month = m.month AND t.department_id = m.department_id
WHERE m.hospital_id = %s AND m.instrument_id = %s AND m.month >= %s AND m.month <= %s
ORDER BY 1, 2
"""


def measure(total: int, repeat: int, pages: bool = True) -> None:
    import django

    django.setup()
    from django.db import connection

    from carebridge.insights.selectors.report import monthly_summary
    from carebridge.insights.selectors.responses import responses_visible
    from carebridge.surveys.models import Item

    hospital, instrument, version, user = _organisation()
    _load(total, hospital, version)
    item = Item.objects.get(version=version, code="q1")
    start, end = _window()
    departments = list(hospital.departments.values_list("id", flat=True))  # type: ignore[attr-defined]

    def _orm_cells() -> list:  # type: ignore[type-arg]
        return monthly_summary(
            responses=responses_visible(user=user, hospital=hospital),  # type: ignore[arg-type]
            start=start,
            end=end,
            zone=ZONE,
            instrument=instrument,  # type: ignore[arg-type]
            item_code="q1",
            top_box_from=4,
        )

    def orm() -> int:
        cells = monthly_summary(
            responses=responses_visible(user=user, hospital=hospital),  # type: ignore[arg-type]
            start=start,
            end=end,
            zone=ZONE,
            instrument=instrument,  # type: ignore[arg-type]
            item_code="q1",
            top_box_from=4,
        )
        return len([c.ci for c in cells])

    def bare() -> int:
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, [item.pk, hospital.pk, instrument.pk, start, end])  # type: ignore[attr-defined]
            return len(cursor.fetchall())

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT to_regclass('{VIEW}')")
        exists = cursor.fetchone()[0] is not None
        started = time.perf_counter()
        if exists:
            cursor.execute(f"REFRESH MATERIALIZED VIEW CONCURRENTLY {VIEW}")
        else:
            cursor.execute(MATERIALIZED, [item.pk])
        cursor.execute(f"ANALYZE {VIEW}")
        refresh = time.perf_counter() - started

    def materialized() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                READ_VIEW,
                [
                    hospital.pk,
                    instrument.pk,
                    departments,
                    start.astimezone(ZONE).replace(tzinfo=None),  # type: ignore[attr-defined]
                    end.astimezone(ZONE).replace(tzinfo=None),
                ],
            )
            return len(cursor.fetchall())

    from carebridge.insights.selectors.aggregates import monthly_cells
    from carebridge.insights.services.aggregates import response_months_refresh

    started = time.perf_counter()
    response_months_refresh()
    product_refresh = time.perf_counter() - started
    first_month = start.astimezone(ZONE).date()
    last_month = (end - dt.timedelta(seconds=1)).astimezone(ZONE).date().replace(day=1)

    def product() -> int:
        found = monthly_cells(
            user=user,  # type: ignore[arg-type]
            hospital=hospital,  # type: ignore[arg-type]
            first=first_month,
            last=last_month,
            instrument=instrument,  # type: ignore[arg-type]
            item_code="q1",
            top_box_from=4,
        )
        return len([c.ci for c in found])

    def product_bare() -> int:
        with connection.cursor() as cursor:
            cursor.execute(PRODUCT_SQL, [hospital.pk, instrument.pk, first_month, last_month] * 2)  # type: ignore[attr-defined]
            return len(cursor.fetchall())

    cells = orm()
    assert cells == bare() == materialized() == product() == product_bare(), (
        cells,
        bare(),
        materialized(),
        product(),
        product_bare(),
    )
    # The product's cells equal the live one-pass computation (rounded: sums in another order).
    live = {(c.month, c.department_id): (c.n, round(c.mean, 6), c.top_box_n) for c in _orm_cells()}
    stored = {
        (c.month, c.department_id): (c.n, round(c.mean, 6), c.top_box_n)  # type: ignore[arg-type]
        for c in monthly_cells(
            user=user,  # type: ignore[arg-type]
            hospital=hospital,  # type: ignore[arg-type]
            first=first_month,
            last=last_month,
            instrument=instrument,  # type: ignore[arg-type]
            item_code="q1",
            top_box_from=4,
        )
    }
    assert live == stored, "the aggregate differs from the live computation"
    print(
        f"\n  dashboard aggregate: 12 months × {DEPARTMENTS} departments ({cells} cells) "
        f"of {total:,} responses"
    )
    print(f"  p50 / p95 in ms over {repeat} runs")
    ours = _time(orm, repeat)
    base = _time(bare, repeat)
    view = _time(materialized, repeat)
    print(
        f"  {'CareBridge (ORM, scoped selector)':<40}{ours[0]:>10.1f} /{ours[1]:>10.1f}"
        f"   ratio {ours[0] / base[0]:.2f}"
    )
    print(f"  {'bare SQL, one pass':<40}{base[0]:>10.1f} /{base[1]:>10.1f}")
    print(
        f"  {'materialized monthly aggregate':<40}{view[0]:>10.1f} /{view[1]:>10.1f}"
        f"   (refresh {refresh:.1f} s)"
    )
    stored = _time(product, repeat)
    stored_base = _time(product_bare, repeat)
    print(
        f"  {'CareBridge monthly_cells (aggregate)':<40}{stored[0]:>10.1f} /{stored[1]:>10.1f}"
        f"   ratio {stored[0] / stored_base[0]:.2f}   (refresh CONCURRENTLY {product_refresh:.1f} s)"
    )
    print(f"  {'bare SQL on the product aggregate':<40}{stored_base[0]:>10.1f} /{stored_base[1]:>10.1f}")
    pages = _pages(user, instrument, repeat) if pages else {}
    for label, figures in pages.items():
        print(
            f"  {label:<40}{figures[0]:>10.1f} /{figures[1]:>10.1f}"
            f"   ratio {figures[0] / stored_base[0]:.1f} to the bare aggregate SQL"
        )
    from results import record

    size = f"{total:,} responses"
    record("insights-dashboard", "monthly summary, ORM p50", size, ours[0], base[0], "ms")
    record("insights-dashboard", "monthly summary, ORM p95", size, ours[1], base[1], "ms")
    record("insights-dashboard", "materialized aggregate p50", size, view[0], base[0], "ms")
    record("insights-dashboard", "aggregate, monthly_cells p50", size, stored[0], stored_base[0], "ms")
    record("insights-dashboard", "aggregate, monthly_cells p95", size, stored[1], stored_base[1], "ms")
    for label, figures in pages.items():
        record("insights-dashboard", f"{label} p95", size, figures[1], stored_base[1], "ms")


def _pages(user: object, instrument: object, repeat: int) -> dict[str, tuple[float, float]]:
    """The overview and the monthly report through the test client, warm (their caches filled once, as
    production serves them), p50 / p95 in ms; the first (cold) request is printed, and on a large
    selection the background work it asked for is done here as the worker would, and timed."""
    from django.test import Client

    from carebridge.insights.models import AnalysisRun
    from carebridge.insights.selectors.analysis.selection import settled_response_id
    from carebridge.insights.services.reports import report_build
    from carebridge.insights.services.runs import run_execute

    # The data version counts the responses up to this id once (the last id of a refresh an hour old or
    # more; during the day, last night's); 0 right after a database's first refresh: full counts.
    print(f"  data version: responses up to id {settled_response_id():,} counted once, the later per request")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)  # type: ignore[arg-type]
    out = {}
    for label, url in (
        ("overview page /insights/ (warm)", f"/insights/?instrument={instrument.pk}"),  # type: ignore[attr-defined]
        ("monthly report page (warm)", f"/insights/report/?month=2026-10&instrument={instrument.code}"),  # type: ignore[attr-defined]
    ):
        started = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        print(f"  {label}: first request {1000 * (time.perf_counter() - started):,.0f} ms (cold cache)")
        # A large selection: the page asked a background run for its figures (or found one queued by
        # an earlier bench run); run it as the Celery worker would, so the warm requests show figures.
        for run in AnalysisRun.objects.filter(status="queued").order_by("pk"):
            started = time.perf_counter()
            run_execute(run_id=run.pk)
            print(f"  {label}: its background run ({run.kind}) {time.perf_counter() - started:,.1f} s")
        if "report" in label and "report-preparing" in response.content.decode():
            # A large month: the report is computed by a worker (services.reports); compute it as it would.
            started = time.perf_counter()
            report_build(user_id=user.pk, month="2026-10", instrument=instrument.code, language="zh-hans")  # type: ignore[attr-defined]
            print(f"  {label}: its background build {time.perf_counter() - started:,.1f} s")
        out[label] = _time(lambda url=url: client.get(url), repeat)  # type: ignore[misc]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--no-pages",
        action="store_true",
        help="skip the overview and report pages (their first, uncached request analyses every response)",
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    from results import db_name

    url = urlunparse(urlparse(base)._replace(path=f"/{db_name(f'responses_{args.responses}')}"))
    print(f"== dashboard aggregate, {args.responses:,} responses ({url}) ==")
    _ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    measure(args.responses, args.repeat, pages=not args.no_pages)


if __name__ == "__main__":
    main()
