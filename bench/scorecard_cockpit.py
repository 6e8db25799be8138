"""Benchmark of the leadership cockpit and a year of the hospital scorecard (issue 15, item 6).

    python bench/scorecard_cockpit.py --synthetic 1000000      # the demo grown to 1,000,000 patients
    DATABASE_URL=postgres://…/cb_me_demo python bench/scorecard_cockpit.py   # any seeded demo

``--synthetic N`` builds ``<BENCH_DB_PREFIX>scorecard_<N>`` once (kept; a second run only measures): the
2,000-patient bench demo (``seed_demo --seed 7``, ``<prefix>2000``, loaded once) copied, and every table
the cockpit and the scorecards count (``CLONED``: patients, encounters, diagnoses, care plans and their
touchpoints, survey responses, complaints with their departments and deadlines, inquiries, checkup
visits, critical-result notifications) multiplied server-side with ``INSERT … SELECT`` until the demo
hospital has N patients: every row keeps its dates, statuses and links, so every month of the 18 grows
by the same factor. Minutes instead of ``seed_demo``'s hours. Staff-sized tables (training, activities,
scorecards, hand-entered figures, frozen months) stay the demo's. Without it, it measures the database
of ``DATABASE_URL`` as it is.

It prints the row counts, then runs the beat's refreshes on the data (the survey months' materialized
aggregate; ``kpi_last_month_refresh``, last month's stored KPI figures; with ``--nightly`` also the 18
months of ``kpi_month_values_refresh`` — older stored months otherwise keep the demo's figures, which cost
the same to read) and times them, then p50 / p95
in ms, each beside hand-written SQL measured in the same run:

* cockpit — ``reports.selectors.cockpit.cockpit`` for the executive, last month (12-month trends,
  department and centre scorecards, the survey line), and the page ``/reports/cockpit/``; beside: the same
  figures by hand — the stored rows the page reads, and every figure counted live counted by hand;
* a year — ``scorecard_scores`` of the hospital scorecard for this year (months closed and frozen by
  the demo, then stored months, then the live ones), and its page; the same year with no month closed
  (stored rows only), and with every month counted live (no stored row: what the precompute saves);
  beside each: the stored rows read by hand plus the live months counted by hand.

Figures are printed and recorded through ``bench/results.py``, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SUITE = "scorecard-cockpit"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[
        min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
    ] * 1000


def _time(function: Callable[[], object], repeat: int, *, warm: bool = True) -> tuple[float, float]:
    if warm:
        function()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


# --- the synthetic database ------------------------------------------------------------------------

# The tables the cockpit and the scorecards count, parents before children: each is copied whole
# (every hospital's rows, so the second hospital keeps its 20 %) until the demo hospital has the
# patients asked for. Rows keep their dates, statuses and links, so every month grows by the same factor.
CLONED = (
    "patients_patient",
    "patients_encounter",
    "patients_diagnosis",
    "patients_patientdepartment",
    "followup_careplan",
    "followup_touchpoint",
    "surveys_response",
    "desk_complaint",
    "desk_complaint_departments",
    "desk_complaintdeadline",
    "desk_inquiry",
    "checkup_visit",
    "critical_notification",
)
# Columns of a copy that cannot repeat the original's value and have no better copy.
CLEARED = {"surveys_response": ("invitation_id",), "patients_patient": ("merged_into_id",)}


def _clone_sql(conn: Any, table: str, copies: int, strides: dict[str, int]) -> str:
    """``INSERT … SELECT`` of ``copies`` more copies of ``table``: copy ``k``'s id and every link to a
    copied table are the original's plus ``k`` × that table's stride (its max id + 1); a unique text
    column gets ``~k`` appended, a unique number ``k`` × (its max + 1)."""
    columns = conn.execute(
        "SELECT column_name, data_type, character_maximum_length FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'"
        " ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    links = dict(
        conn.execute(
            "SELECT a.attname, c.confrelid::regclass::text FROM pg_constraint c"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " WHERE c.contype = 'f' AND c.conrelid = %s::regclass",
            (table,),
        ).fetchall()
    )
    unique: set[str] = set()
    for (keys,) in conn.execute(
        "SELECT array_agg(a.attname::text) FROM pg_index i"
        " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = %s::regclass AND i.indisunique AND NOT i.indisprimary GROUP BY i.indexrelid",
        (table,),
    ).fetchall():
        if not any(key in links and links[key] in strides for key in keys):
            unique.update(key for key in keys if key not in links)
    names, values = [], []
    for name, kind, length in columns:
        names.append(f'"{name}"')
        if name == "id":
            values.append(f"t.id + c.k * {strides[table]}")
        elif name in CLEARED.get(table, ()):
            values.append("NULL")
        elif name in links and links[name] in strides:
            values.append(f't."{name}" + c.k * {strides[links[name]]}')
        elif name in unique and kind in ("character varying", "text"):
            keep = f'left(t."{name}", {length - 5})' if length else f't."{name}"'
            values.append(f"{keep} || '~' || c.k")
        elif name in unique and kind in ("integer", "bigint", "smallint"):
            (top,) = conn.execute(f'SELECT COALESCE(MAX("{name}"), 0) + 1 FROM {table}').fetchone()
            values.append(f't."{name}" + c.k * {top}')
        elif name in unique and kind == "uuid":
            values.append("gen_random_uuid()")
        elif name in unique:
            raise RuntimeError(f"{table}.{name} is unique and of type {kind}: no copy rule")
        else:
            values.append(f't."{name}"')
    return (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)}"
        f" FROM {table} t CROSS JOIN generate_series(1, {copies}) AS c(k) WHERE t.id < {strides[table]}"
    )


def synthetic_database(base: str, patients: int) -> str:
    """``<prefix>scorecard_<N>``: the 2,000-patient bench demo (``seed_demo --seed 7``, made once by
    ``bench/run.py``'s loader) copied and its patient-facing tables (``CLONED``) multiplied server-side
    until the demo hospital has ``patients`` patients — minutes instead of ``seed_demo``'s hours. The
    scorecards, KPIs, users, frozen months and precomputed rows are the demo's; the measuring step
    refreshes the precomputed rows and the survey aggregate on the grown data."""
    from urllib.parse import urlparse, urlunparse

    import psycopg
    import run

    template = run._database_url(base, 2000)
    run._ensure_database(template, 2000)
    parts = urlparse(base)
    name = run.db_name(f"scorecard_{patients}")
    url = urlunparse(parts._replace(path=f"/{name}"))
    admin = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{run.db_name("2000")}"')
    with psycopg.connect(url) as conn:
        (hospital,) = conn.execute("SELECT id FROM core_hospital WHERE code = 'lxq-demo'").fetchone()  # type: ignore[misc]
        (existing,) = conn.execute(
            "SELECT COUNT(*) FROM patients_patient WHERE hospital_id = %s", (hospital,)
        ).fetchone()  # type: ignore[misc]
        copies = -(-patients // existing) - 1
        if copies <= 0:
            return url
        started = time.perf_counter()
        # The copies link only to copies or to rows the originals link to: no foreign-key check (Django's
        # are deferred to COMMIT, where checking some 17 million rows one by one took longer than the
        # inserts themselves).
        conn.execute("SET session_replication_role = replica")
        strides = {}
        for table in CLONED:
            (top,) = conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()  # type: ignore[misc]
            strides[table] = top
        for table in CLONED:
            began = time.perf_counter()
            cursor = conn.execute(_clone_sql(conn, table, copies, strides))
            print(f"  {table}: +{cursor.rowcount:,} rows in {time.perf_counter() - began:.0f}s", flush=True)
        for table in CLONED:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
    print(f"  {copies + 1} copies of the demo's rows in {time.perf_counter() - started:.0f}s", flush=True)
    return url


# --- the baseline: the same figures written by hand in SQL ------------------------------------------

# One statement per computed KPI of the demo's hospital, department and centre scorecards: the
# registry's definition (``performance/selectors/kpis/``) for one month, hospital-wide or for the
# departments ``%(d)s`` ({dep} becomes the department condition on the named column). Each returns
# (numerator, denominator).
_PLANS_DISCHARGED = (
    "FROM followup_careplan p WHERE p.hospital_id = %(h)s AND p.discharged_at >= %(s)s"
    " AND p.discharged_at < %(e)s {dep:p.department_id}"
)
_CALL_DONE = (
    "EXISTS (SELECT 1 FROM followup_touchpoint t WHERE t.plan_id = p.id AND t.status = 'done'"
    " AND t.kind IN ('post_discharge_call', 'follow_up_call', 'standalone_call'))"
)
_RESPONSES = (
    "FROM surveys_response r JOIN followup_careplan p ON p.encounter_id = r.encounter_id"
    " WHERE p.hospital_id = %(h)s AND p.discharged_at >= %(s)s AND p.discharged_at < %(e)s"
    " {dep:p.department_id}"
)
BARE_KPIS: dict[str, str] = {
    "complaints_in_time": """
        SELECT COUNT(*) FILTER (WHERE c.closed_at IS NOT NULL AND c.closed_at <= d.due), COUNT(*)
        FROM desk_complaint c JOIN desk_complaintdeadline d ON d.complaint_id = c.id AND d.kind = 'feedback'
        WHERE c.hospital_id = %(h)s AND c.kind = 'complaint' AND d.due >= %(s)s AND d.due < %(e)s
          AND (d.due <= now() OR c.closed_at IS NOT NULL)
          {dep:EXISTS (SELECT 1 FROM desk_complaint_departments x
                       WHERE x.complaint_id = c.id AND x.department_id}
    """,
    "followup_tier": """
        SELECT COUNT(*) FILTER (WHERE t.status = 'done' AND t.completed_at <= t.due_at), COUNT(*)
        FROM followup_touchpoint t JOIN followup_careplan p ON p.id = t.plan_id
        WHERE p.hospital_id = %(h)s {dep:p.department_id} AND t.kind = 'follow_up_call' AND t.tier = %(tier)s
          AND t.due_at >= %(s)s AND t.due_at < %(e)s AND t.due_at <= now()
          AND t.status NOT IN ('cancelled', 'skipped')
    """,
    "three_comms_stay": f"""
        SELECT COUNT(*) FILTER (WHERE (SELECT COUNT(*) FROM followup_touchpoint t WHERE t.plan_id = p.id
            AND t.kind IN ('admission_interview', 'mid_stay_talk', 'pre_discharge_interview')
            AND t.status = 'done' AND t.completed_at >= p.admitted_at AND t.completed_at <= p.discharged_at)
            >= 3), COUNT(*)
        {_PLANS_DISCHARGED}
    """,
    "critical_followed_up": f"""
        SELECT COUNT(*) FILTER (WHERE {_CALL_DONE}), COUNT(*) {_PLANS_DISCHARGED}
          AND EXISTS (SELECT 1 FROM patients_encounter e WHERE e.id = p.encounter_id AND e.critical)
    """,
    "specialty_called": f"""
        SELECT COUNT(*) FILTER (WHERE {_CALL_DONE}), COUNT(*) {_PLANS_DISCHARGED}
          AND EXISTS (SELECT 1 FROM patients_diagnosis g WHERE g.encounter_id = p.encounter_id
                      AND (g.code ILIKE 'J45%%' OR g.code ILIKE 'J46%%' OR g.code ILIKE 'J18.0%%'))
    """,
    "share_satisfied": f"""
        SELECT COUNT(*) FILTER (WHERE r.answers -> 'overall' >= '7'::jsonb), COUNT(*) {_RESPONSES}
          AND r.answers ? 'overall'
    """,
    "would_come_back": f"""
        SELECT COUNT(*) FILTER (WHERE r.answers -> 'come_back' >= '7'::jsonb), COUNT(*) {_RESPONSES}
          AND r.answers ? 'come_back'
    """,
    "satisfaction_index": f"SELECT SUM(r.score), COUNT(*) {_RESPONSES} AND r.score IS NOT NULL",
    "returning_inpatients": """
        SELECT COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM patients_encounter b
            WHERE b.patient_id = e.patient_id AND b.department_id = e.department_id
              AND b.started_at < e.started_at AND b.started_at >= e.started_at - interval '365 days')),
          COUNT(*)
        FROM patients_encounter e WHERE e.hospital_id = %(h)s AND e.kind = 'inpatient'
          AND e.started_at >= %(s)s AND e.started_at < %(e)s {dep:e.department_id}
    """,
    "critical_read_back_in_time": """
        SELECT COUNT(*) FILTER (WHERE n.read_back_at IS NOT NULL AND n.read_back_at <= n.read_back_due),
          COUNT(*)
        FROM critical_notification n WHERE n.hospital_id = %(h)s AND n.detected_at >= %(s)s
          AND n.detected_at < %(e)s AND (n.read_back_due <= now() OR n.read_back_at IS NOT NULL)
          {dep:n.department_id}
    """,
    "checkup_turnaround": """
        SELECT COUNT(*) FILTER (WHERE v.released_at <= v.checked_in_at + interval '7 days'), COUNT(*)
        FROM checkup_visit v WHERE v.hospital_id = %(h)s AND v.released_at >= %(s)s
          AND v.released_at < %(e)s AND v.checked_in_at IS NOT NULL {dep:v.department_id}
    """,
    "inquiry_first_contact": """
        SELECT COUNT(*) FILTER (WHERE i.answered_at IS NOT NULL AND i.answered_by_id = i.received_by_id
            AND i.answered_at <= i.received_at + interval '30 minutes'), COUNT(*)
        FROM desk_inquiry i WHERE i.hospital_id = %(h)s AND i.received_at >= %(s)s
          AND i.received_at < %(e)s {dep:i.recommended_department_id}
    """,
    "inquiry_answer_minutes": """
        SELECT EXTRACT(EPOCH FROM SUM(i.answered_at - i.received_at)) / 60, COUNT(*)
        FROM desk_inquiry i WHERE i.hospital_id = %(h)s AND i.received_at >= %(s)s
          AND i.received_at < %(e)s AND i.answered_at IS NOT NULL {dep:i.recommended_department_id}
    """,
    "customer_files": """
        SELECT COUNT(*), NULL FROM followup_touchpoint t WHERE t.hospital_id = %(h)s
          AND t.kind = 'admission_interview' AND t.status = 'done'
          AND t.completed_at >= %(s)s AND t.completed_at < %(e)s {dep:t.department_id}
    """,
}


def _bare_statement(code: str, departments: list[int] | None) -> tuple[str, dict[str, Any]]:
    import re

    sql = BARE_KPIS["followup_tier" if code.startswith("followup_") else code]

    def department(match: re.Match[str]) -> str:
        if departments is None:
            return ""
        column = match.group(1)
        if column.startswith("EXISTS"):
            return f"AND {column} = ANY(%(d)s))"
        return f"AND {column} = ANY(%(d)s)"

    params: dict[str, Any] = {"d": departments, "tier": code.removeprefix("followup_")}
    return re.sub(r"\{dep:([^}]*)\}", department, sql), params


def bare_month(  # noqa: PLR0917
    cursor: Any, hospital: int, start: Any, end: Any, codes: list[str], departments: Any
) -> None:
    """The computed KPIs ``codes`` of one month, hand-written, one statement each."""
    for code in codes:
        if code not in BARE_KPIS and not code.startswith("followup_"):
            continue
        sql, params = _bare_statement(code, departments)
        cursor.execute(sql, {**params, "h": hospital, "s": start, "e": end})
        cursor.fetchone()


def _stored_rows(cursor: Any, card_id: int, months: list[Any]) -> None:
    """What a page reads of precomputed months: the frozen versions and the stored KPI rows."""
    if not months:
        return
    cursor.execute(
        "SELECT v.data FROM performance_scoreversion v JOIN performance_scoreperiod p ON p.id = v.period_id"
        " WHERE p.scorecard_id = %s AND p.month = ANY(%s) ORDER BY p.month, v.number",
        [card_id, months],
    )
    cursor.fetchall()
    cursor.execute(
        "SELECT kpi_id, month, numerator, denominator, value FROM performance_kpimonthvalue"
        " WHERE scorecard_id = %s AND month = ANY(%s) ORDER BY kpi_id, month",
        [card_id, months],
    )
    cursor.fetchall()


class Baseline:
    """The page's figures by hand: stored rows read, live months counted (one statement per KPI)."""

    def __init__(self, cards: list[Any]) -> None:
        from carebridge.performance.models import KpiAssignment
        from carebridge.performance.models.scorecards import KpiSource, ScorecardLevel
        from carebridge.performance.selectors.scores import hospital_zone

        self.cards = {}
        for card in cards:
            codes = list(
                KpiAssignment.objects.filter(
                    objective__perspective__scorecard=card, kpi__source=KpiSource.COMPUTED
                ).values_list("kpi__code", flat=True)
            )
            departments = (
                [card.department_id]
                if card.level == ScorecardLevel.DEPARTMENT and card.department_id
                else None
            )
            self.cards[card.pk] = (card, codes, departments, hospital_zone(card))

    def card(self, cursor: Any, card_id: int, stored: list[Any], live: list[Any]) -> None:
        from carebridge.performance.domain.periods import month_span

        card, codes, departments, zone = self.cards[card_id]
        _stored_rows(cursor, card_id, stored)
        for month in live:
            start, end = month_span(month).bounds(zone)
            bare_month(cursor, card.hospital_id, start, end, codes, departments)


def _split(
    card: Any, months: list[Any], *, frozen: bool = True, this_month: bool = False
) -> tuple[list[Any], list[Any]]:
    """The months a page reads stored (frozen or precomputed) and those it counts live, as it does: a
    quarter or a year (``this_month``) also reads this month's stored figure while it is fresh."""
    from django.utils import timezone

    from carebridge.performance.models import KpiMonthValue, ScorePeriod
    from carebridge.performance.selectors.scores import FRESH, _live_cutoff, hospital_zone

    now = timezone.now()
    cutoff = _live_cutoff(now, hospital_zone(card))
    closed = (
        set(ScorePeriod.objects.filter(scorecard=card).values_list("month", flat=True)) if frozen else set()
    )
    kept = set(KpiMonthValue.objects.filter(scorecard=card).values_list("month", flat=True))
    fresh = (
        this_month
        and KpiMonthValue.objects.filter(scorecard=card, month=cutoff, computed_at__gte=now - FRESH).exists()
    )
    stored = [m for m in months if m in closed or (m < cutoff and m in kept) or (fresh and m == cutoff)]
    return stored, [m for m in months if m not in stored]


def _counts(hospital_id: int) -> tuple[str, list[tuple[str, int]]]:
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for table in CLONED:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            rows.append((table, cursor.fetchone()[0]))
        cursor.execute("SELECT COUNT(*) FROM patients_patient WHERE hospital_id = %s", [hospital_id])
        patients = cursor.fetchone()[0]
    by = dict(rows)
    size = (
        f"{patients:,} patients (demo hospital), {by['followup_careplan']:,} care plans, "
        f"{by['surveys_response']:,} responses, {by['desk_complaint']:,} complaints"
    )
    return size, rows


def measure(repeat: int, pages: bool, nightly: bool, every_month: bool = True) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone
    from results import record

    from carebridge.insights.services.aggregates import response_months_refresh
    from carebridge.lib.periods import add_months, month_start
    from carebridge.performance.domain.periods import month_span, parse_span
    from carebridge.performance.models import KpiMonthValue, Scorecard, ScorePeriod
    from carebridge.performance.models.scorecards import ScorecardLevel, ScorecardStatus
    from carebridge.performance.selectors.scores import scorecard_scores
    from carebridge.performance.services.precompute import kpi_last_month_refresh, kpi_month_values_refresh
    from carebridge.reports.selectors.cockpit import cockpit

    executive = get_user_model().objects.get(username="executive")
    card = Scorecard.objects.select_related("hospital").get(level="hospital", hospital__code="lxq-demo")
    size, rows = _counts(card.hospital_id)
    print(f"\n  rows: {size}")
    for table, n in rows:
        print(f"    {table:32s} {n:>12,}")
    print(f"  load average {os.getloadavg()[0]:.1f} (the machine is shared by several sessions)")

    started = time.perf_counter()
    response_months_refresh()
    took = time.perf_counter() - started
    print(f"\n  {'beat: survey months aggregate refresh':58s} {took:9.1f} s")
    record(SUITE, "beat: survey months aggregate refresh", size, took * 1000, None, "ms")
    started = time.perf_counter()
    written = kpi_last_month_refresh()
    took = time.perf_counter() - started
    print(f"  {f'beat: this and last month KPI refresh ({written:,} rows)':58s} {took:9.1f} s")
    record(SUITE, "beat: this and last month's KPIs refresh (quarter-hourly)", size, took * 1000, None, "ms")
    if nightly:
        started = time.perf_counter()
        written = kpi_month_values_refresh()
        took = time.perf_counter() - started
        print(f"  {f'beat: 18 months KPI refresh ({written:,} rows)':58s} {took:9.1f} s")
        record(SUITE, "beat: 18 months' KPIs refresh (nightly)", size, took * 1000, None, "ms")

    today = timezone.localdate()
    last = add_months(month_start(today), -1)
    year = parse_span(str(today.year))
    assert year is not None
    cards = list(
        Scorecard.objects.filter(
            hospital=card.hospital,
            status=ScorecardStatus.ACTIVE,
            level__in=(ScorecardLevel.HOSPITAL, ScorecardLevel.DEPARTMENT, ScorecardLevel.CENTRE),
        ).order_by("level", "name", "id")
    )
    baseline = Baseline(cards)
    trend = month_span(last).previous()
    trend_months = [add_months(last, -i) for i in range(11, -1, -1)]

    def bare_cockpit(*, frozen: bool = True) -> None:
        with connection.cursor() as cursor:
            for other in cards:
                stored, live = _split(other, trend_months if other.pk == card.pk else [last], frozen=frozen)
                baseline.card(cursor, other.pk, stored, live)
            cursor.execute(
                "SELECT month, SUM(n), SUM(total) / SUM(n) FROM insights_responsemonth"
                " WHERE hospital_id = %s AND month >= %s AND month <= %s GROUP BY month ORDER BY month",
                [card.hospital_id, trend_months[0], last],
            )
            cursor.fetchall()

    def bare_year(*, frozen: bool = True, live: bool = False) -> None:
        stored, counted = (
            ([], year.months()) if live else _split(card, year.months(), frozen=frozen, this_month=True)
        )
        with connection.cursor() as cursor:
            baseline.card(cursor, card.pk, stored, counted)

    client = Client(HTTP_HOST="localhost")
    client.force_login(executive)

    def page(path: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(path)
            assert response.status_code == 200, response.content[:300]

        return get

    def line(label: str, ours: tuple[float, float], bare: tuple[float, float] | None, name: str = "") -> None:
        ratio = f"{ours[0] / bare[0]:9.1f}" if bare and bare[0] else ""
        right = f"{bare[0]:9.1f} / {bare[1]:8.1f}" if bare else " " * 20
        print(f"  {label:58s} {ours[0]:9.1f} / {ours[1]:8.1f}   {right} {ratio}")
        record(SUITE, f"{label}, p50", size, ours[0], bare[0] if bare else None, "ms", baseline_name=name)
        record(SUITE, f"{label}, p95", size, ours[1], bare[1] if bare else None, "ms", baseline_name=name)

    print(f"\n  p50 / p95 in ms over {repeat} runs{'':26s}CareBridge{'':14s}bare SQL     ratio")
    _, live_months = _split(card, [last])
    print(
        f"  (cockpit of {last:%Y-%m}; months counted live: "
        f"{', '.join(f'{m:%Y-%m}' for m in live_months) or 'none'})"
    )
    bare = _time(bare_cockpit, repeat)
    line(
        "cockpit, selector (last month)",
        _time(lambda: cockpit(user=executive, span=month_span(last)), repeat),
        bare,
        "bare SQL, same split",
    )
    if pages:
        line(
            "cockpit, page /reports/cockpit/",
            _time(page("/reports/cockpit/"), repeat),
            bare,
            "bare SQL, same split",
        )
    stored, counted = _split(card, year.months(), this_month=True)
    print(
        f"  (year {year.label}: {len(stored)} months stored or frozen, live: "
        f"{', '.join(f'{m:%Y-%m}' for m in counted) or 'none'})"
    )
    bare = _time(bare_year, repeat)
    line(
        f"hospital scorecard, year {year.label}",
        _time(lambda: scorecard_scores(scorecard=card, span=year), repeat),
        bare,
        "bare SQL, same split",
    )
    if pages:
        line(
            f"hospital scorecard page, year {year.label}",
            _time(page(f"/performance/scorecards/{card.pk}/?period={year.label}"), repeat),
            bare,
            "bare SQL, same split",
        )
    with transaction.atomic():
        ScorePeriod.objects.filter(scorecard__in=cards).delete()  # rolled back below
        bare = _time(lambda: bare_year(frozen=False), repeat)
        line(
            f"hospital scorecard, year {year.label}, no month closed",
            _time(lambda: scorecard_scores(scorecard=card, span=year), repeat),
            bare,
            "bare SQL, same split",
        )
        bare = _time(lambda: bare_cockpit(frozen=False), repeat)
        line(
            "cockpit, selector, no month closed",
            _time(lambda: cockpit(user=executive, span=month_span(last)), repeat),
            bare,
            "bare SQL, same split",
        )
        if not every_month:
            transaction.set_rollback(True)
            return
        KpiMonthValue.objects.filter(scorecard__in=cards).delete()
        few = max(2, repeat // 5)  # slow at 1,000,000 patients: a few runs, not warmed
        bare = _time(lambda: bare_year(live=True), few, warm=False)
        line(
            f"hospital scorecard, year {year.label}, every month live",
            _time(lambda: scorecard_scores(scorecard=card, span=year), few, warm=False),
            bare,
            "bare SQL, every month counted",
        )
        bare = _time(lambda: bare_cockpit(frozen=False), few, warm=False)
        line(
            "cockpit, selector, every month live",
            _time(lambda: cockpit(user=executive, span=month_span(last)), few, warm=False),
            bare,
            "bare SQL, every month counted",
        )
        transaction.set_rollback(True)
    del trend


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument(
        "--synthetic",
        type=int,
        metavar="N",
        help="grow the 2,000-patient bench demo to N patients (<prefix>scorecard_<N>) and measure it",
    )
    parser.add_argument("--no-pages", action="store_true", help="time the selectors only")
    parser.add_argument(
        "--no-live-year",
        action="store_true",
        help="skip the variants with every month counted live (minutes at 1,000,000 patients)",
    )
    parser.add_argument(
        "--nightly",
        action="store_true",
        help="also run and time the nightly refresh of 18 months (long at 1,000,000 patients)",
    )
    parser.add_argument("--measure-only", action="store_true", help="internal: measure in this process")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    if args.measure_only or not args.synthetic:
        measure(args.repeat, not args.no_pages, args.nightly, not args.no_live_year)
        return
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        sys.exit("The synthetic database is PostgreSQL: set DATABASE_URL=postgres://...")
    url = synthetic_database(base, args.synthetic)
    print(f"== cockpit and scorecard: {args.synthetic:,} patients ({url}) ==", flush=True)
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure-only",
            *("--repeat", str(args.repeat)),
            *(["--no-pages"] if args.no_pages else []),
            *(["--nightly"] if args.nightly else []),
            *(["--no-live-year"] if args.no_live_year else []),
        ],
        check=True,
        env={**os.environ, "DATABASE_URL": url},
    )


if __name__ == "__main__":
    main()
