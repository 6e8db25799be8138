"""Benchmark of the leadership cockpit and a year of the hospital scorecard (issue 15, item 6).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carebridge_bench_1000000 python bench/scorecard_cockpit.py
    python bench/scorecard_cockpit.py --repeat 10

Runs on a database where ``seed_demo`` has loaded the demo (the scorecard steps 80–83 included). Measured
in the same run, p50 / p95 in ms:

* cockpit — ``reports.selectors.cockpit.cockpit`` for the executive, last month (12-month trends);
* year — ``scorecard_scores`` of the hospital scorecard for last year, with the nightly precompute;
* year, live — the same with every month counted again (no ``KpiMonthValue``);
* bare SQL — the complaint in-time figure of one month hand-written in SQL (the cheapest single KPI);
* bare SQL on the aggregates — the year's stored ``KpiMonthValue`` rows of the hospital scorecard read by
  hand (the baseline of the precomputed year), and the cockpit's survey line: ``monthly_cells`` of the
  inpatient survey (closed months from the materialized monthly aggregate, refreshed first) beside the
  same 12 months read by hand from ``insights_responsemonth``.

Any database where ``seed_demo`` ran will do; run it on your own (``seed_demo --patients 2000`` into
``DATABASE_URL=postgres://…/cb_<you>_demo``), state the size with the figures.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ] * 1000


def _time(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from carebridge.insights.selectors.aggregates import monthly_cells
    from carebridge.insights.services.aggregates import response_months_refresh
    from carebridge.lib.periods import add_months, month_start
    from carebridge.performance.domain.periods import month_span, parse_span
    from carebridge.performance.models import KpiMonthValue, Scorecard
    from carebridge.performance.selectors.scores import scorecard_scores
    from carebridge.reports.selectors.cockpit import cockpit
    from carebridge.surveys.models import Response

    executive = get_user_model().objects.get(username="executive")
    card = Scorecard.objects.get(level="hospital", hospital__code="lxq-demo")
    last = add_months(month_start(timezone.localdate()), -1)
    year = parse_span(str(last.year - 1))
    assert year is not None
    start, end = month_span(last).bounds(timezone.get_current_timezone())
    board = cockpit(user=executive, span=month_span(last))
    rows = [
        ("cockpit (last month, 12-month trends)", lambda: cockpit(user=executive, span=month_span(last))),
        (
            "hospital scorecard, a year (precomputed months)",
            lambda: scorecard_scores(scorecard=card, span=year),
        ),
    ]
    for label, function in rows:
        p50, p95 = _time(function, args.repeat)
        print(f"{label:55s} {p50:9.1f} / {p95:9.1f} ms")
    cached = list(KpiMonthValue.objects.filter(scorecard=card).values())
    KpiMonthValue.objects.filter(scorecard=card).delete()
    try:
        p50, p95 = _time(lambda: scorecard_scores(scorecard=card, span=year), max(3, args.repeat // 3))
        print(f"{'hospital scorecard, a year (every month counted live)':55s} {p50:9.1f} / {p95:9.1f} ms")
    finally:
        KpiMonthValue.objects.bulk_create(KpiMonthValue(**row) for row in cached)
    # The precomputed year read by hand: what a year of the scorecard costs at least.
    year_sql = """
        SELECT kpi_id, month, numerator, denominator, value FROM performance_kpimonthvalue
        WHERE scorecard_id = %s AND month >= %s AND month <= %s ORDER BY kpi_id, month
    """

    def year_bare() -> object:
        with connection.cursor() as cursor:
            cursor.execute(year_sql, [card.pk, year.first, year.last])
            return cursor.fetchall()

    p50, p95 = _time(year_bare, args.repeat)
    print(f"{'bare SQL: the year of stored KpiMonthValue rows':55s} {p50:9.1f} / {p95:9.1f} ms")

    # The cockpit's survey line: the inpatient survey's 12 months from the monthly aggregate.
    started = time.perf_counter()
    response_months_refresh()
    print(
        f"{'monthly aggregate refresh (CONCURRENTLY)':55s} {1000 * (time.perf_counter() - started):9.1f} ms"
    )
    survey = board.survey
    if survey is not None:
        first = add_months(last, -11)

        def survey_months() -> object:
            return monthly_cells(
                user=executive,
                hospital=card.hospital,
                first=first,
                last=last,
                instrument=survey,
                by_department=False,
            )

        def survey_bare() -> object:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT month, sum(n), sum(total) / sum(n) FROM insights_responsemonth "
                    "WHERE hospital_id = %s AND instrument_id = %s AND month >= %s AND month <= %s "
                    "GROUP BY month ORDER BY month",
                    [card.hospital_id, survey.pk, first, last],
                )
                return cursor.fetchall()

        responses = Response.objects.filter(hospital=card.hospital).count()
        p50, p95 = _time(survey_months, args.repeat)
        print(f"{f'survey line, monthly_cells ({responses:,} responses)':55s} {p50:9.1f} / {p95:9.1f} ms")
        p50, p95 = _time(survey_bare, args.repeat)
        print(f"{'bare SQL: the same 12 months from the aggregate':55s} {p50:9.1f} / {p95:9.1f} ms")
    sql = """
        SELECT COUNT(*), COUNT(*) FILTER (WHERE c.closed_at IS NOT NULL AND c.closed_at <= d.due)
        FROM desk_complaint c JOIN desk_complaintdeadline d ON d.complaint_id = c.id AND d.kind = 'feedback'
        WHERE c.hospital_id = %s AND c.kind = 'complaint' AND d.due >= %s AND d.due < %s
          AND (d.due <= now() OR c.closed_at IS NOT NULL)
    """
    if connection.vendor == "postgresql":

        def bare() -> object:
            with connection.cursor() as cursor:
                cursor.execute(sql, [card.hospital_id, start, end])
                return cursor.fetchone()

        p50, p95 = _time(bare, args.repeat)
        print(f"{'bare SQL: complaints in time, one month':55s} {p50:9.1f} / {p95:9.1f} ms")


if __name__ == "__main__":
    main()
