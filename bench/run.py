"""Benchmarks of the registry on PostgreSQL: patient search and the patient list API.

    make bench                                  # 100,000 patients
    make bench BENCH_ARGS="--patients 100000 1000000"

For each size it loads the demo hospital into a database of its own (``carebridge_bench_<N>``, kept
between runs so a second run only measures), then prints p50/p95 of each search and of the API list,
and beside each the same query written by hand in SQL, measured in the same run, as the baseline
(ratio = ORM path / bare SQL), both under the web workers' server-side binding (``gunicorn.conf.py``;
``DB_SERVER_SIDE_BINDING=0`` measures client-side binding). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from results import db_name  # noqa: E402 - bench/ is on the path from here on


def _database_url(base: str, patients: int) -> str:
    parts = urlparse(base)
    return urlunparse(parts._replace(path=f"/{db_name(str(patients))}"))


def _ensure_database(url: str, patients: int) -> None:
    """Create, migrate and seed the bench database once; report the load time."""
    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env)
    started = time.perf_counter()
    result = subprocess.run(
        [*manage, "seed_demo", "--if-empty", "--patients", str(patients), "--seed", "7"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if "nothing to do" not in result.stdout:
        print(
            f"  loaded {patients:,} patients (+{patients // 5:,} in the second hospital) in {elapsed:.0f}s "
            f"({patients * 1.2 / elapsed:,.0f} patients/s with their phones, encounters and diagnoses)"
        )


def _synthetic_registry(base: str, patients: int) -> str:
    """``carebridge_bench_queue_<N>`` (``bench/followup_queue.py --synthetic``: the 2,000-patient demo topped
    up with SQL-generated patients in about a minute), made searchable like the seeded registry: national
    IDs, pinyin initials, and an outpatient visit in one of the departments for 98% of the generated
    patients (the rest registered but not yet seen anywhere), then the patient–department links."""
    import psycopg

    sys.path.insert(0, str(ROOT / "bench"))
    import followup_queue

    url = followup_queue.synthetic_database(base, patients, min(patients // 10, 100_000))
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], check=True, env=env
    )
    with psycopg.connect(url) as conn:
        _unique_national_ids(conn)
        (todo,) = conn.execute(  # type: ignore[misc]
            "SELECT COUNT(*) FROM patients_patient WHERE mrn LIKE 'S%' AND name_initials = 'x'"
        ).fetchone()
        if not todo:
            return url
        started = time.perf_counter()
        conn.execute(
            """
            UPDATE patients_patient SET
                name_initials = (ARRAY['z','w','l','z','l','c','y','h'])[1 + (substr(mrn, 2)::int % 8)]
                    || (ARRAY['w','f','n','m','j','q','l','y'])[1 + (substr(mrn, 2)::int / 8) % 8]
            WHERE mrn LIKE 'S%' AND name_initials = 'x'
            """
        )
        conn.execute(
            """
            INSERT INTO patients_encounter (kind, started_at, ended_at, critical, created_at, department_id,
                hospital_id, patient_id)
            SELECT 'outpatient', now() - (p.id % 700) * interval '1 day', NULL, false, now(),
                (SELECT array_agg(d.id ORDER BY d.id) FROM core_department d
                 WHERE d.hospital_id = p.hospital_id)[1 + (p.id * 7919) % 28], p.hospital_id, p.id
            FROM patients_patient p
            WHERE p.mrn LIKE 'S%' AND p.id % 50 <> 0
              AND NOT EXISTS (SELECT 1 FROM patients_encounter e WHERE e.patient_id = p.id)
            """
        )
        conn.execute(
            "INSERT INTO patients_patientdepartment (patient_id, department_id)"
            " SELECT DISTINCT patient_id, department_id FROM patients_encounter"
            " ON CONFLICT DO NOTHING"
        )
        conn.execute(
            "UPDATE patients_patient p SET seen_anywhere = true WHERE NOT seen_anywhere"
            " AND EXISTS (SELECT 1 FROM patients_patientdepartment l WHERE l.patient_id = p.id)"
        )
        conn.commit()
        conn.execute("ANALYZE")
    print(f"  made the synthetic registry searchable in {time.perf_counter() - started:.0f}s")
    return url


def _unique_national_ids(conn) -> None:  # type: ignore[no-untyped-def]
    """Give every generated patient a national ID of their own, as GB 11643 numbers people: region, birth
    date, a sequence whose last digit is odd for men, and the MOD 11-2 check character. The region
    (3205xx, which the demo's own patients never have) moves on once a day's 500 numbers per sex are
    used. Until 2026-12-08 the generated IDs repeated up to 35 times at 1,000,000 patients (region and
    birth date fixed, the sequence ``id % 1000``), so "national ID" measured a page of 25 namesakes and
    its count, not the look-up of one person; a database generated then is renumbered here, once."""
    started = time.perf_counter()
    result = conn.execute(
        """
        WITH numbered AS (
            SELECT id, birth_date, sex,
                row_number() OVER (PARTITION BY birth_date, sex ORDER BY id) - 1 AS n
            FROM patients_patient WHERE mrn LIKE 'S%'
        ),
        first17 AS (
            SELECT id, '3205' || lpad((1 + n / 500)::text, 2, '0') || to_char(birth_date, 'YYYYMMDD')
                || lpad(((n % 500) * 2 + CASE WHEN sex = 'M' THEN 1 ELSE 0 END)::text, 3, '0') AS digits
            FROM numbered
        )
        UPDATE patients_patient p SET national_id = f.digits || substr('10X98765432', 1 + (
            SELECT SUM(substr(f.digits, i, 1)::int
                * (ARRAY[7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])[i])
            FROM generate_series(1, 17) i)::int % 11, 1)
        FROM first17 f
        WHERE p.id = f.id
          AND EXISTS (
            SELECT 1 FROM patients_patient s WHERE s.mrn LIKE 'S%' AND s.national_id NOT LIKE '3205%'
          )
        """
    )
    if result.rowcount:
        conn.commit()
        conn.execute("ANALYZE patients_patient")
        elapsed = time.perf_counter() - started
        print(f"  gave {result.rowcount:,} generated patients national IDs of their own in {elapsed:.0f}s")


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _time(function, repeat: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    function()  # warm the caches once
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


INTERLEAVE = "--interleave" in sys.argv


def _time_pair(ours, base, repeat: int) -> tuple[tuple[float, float], tuple[float, float]]:  # type: ignore[no-untyped-def]
    """All samples of the product's path, then all of the bare SQL (as the earlier runs measured); with
    ``--interleave`` both sample by sample in turn (which goes first alternates), so a burst of load falls
    on both. On a loaded machine interleaving slows the bare SQL of an exact lookup several times (it runs
    right after the ORM's CPU work), so its ratios are flattering: compare runs of one method only."""
    if not INTERLEAVE:
        return _time(ours, repeat), _time(base, repeat)
    ours()
    base()
    samples: tuple[list[float], list[float]] = ([], [])
    for index in range(repeat):
        for side in (0, 1) if index % 2 == 0 else (1, 0):
            started = time.perf_counter()
            (ours, base)[side]()
            samples[side].append(time.perf_counter() - started)
    return _percentiles(samples[0]), _percentiles(samples[1])


def measure(patients: int, repeat: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from carebridge.core.pagination import LookupPaginator
    from carebridge.patients.models import Patient, PatientPhone
    from carebridge.patients.selectors.lookup import patient_lookup
    from carebridge.patients.selectors.patients import patient_rows_ready

    agent = get_user_model().objects.get(username="agent")
    sample = (
        Patient.objects.filter(hospital__code="lxq-demo")
        .exclude(national_id="")
        .order_by("pk")[Patient.objects.filter(hospital__code="lxq-demo").count() // 2]
    )
    phone = PatientPhone.objects.filter(patient=sample).first()
    assert phone is not None
    queries = {
        "name prefix (张)": "张",
        "full name": sample.name,
        "pinyin initials": sample.name_initials,
        "phone tail (4 digits)": phone.tail,
        "full mobile": phone.number,
        "MRN": sample.mrn,
        "national ID": sample.national_id,
    }

    def bare_sql(query: str):  # type: ignore[no-untyped-def]
        """The baseline: the same page and count, hand-written, for the hospital-wide agent."""
        from carebridge.core.validators import normalise_phone

        digits = normalise_phone(query)
        if digits.isdigit() and len(digits) in (4, 11):
            column = "tail" if len(digits) == 4 else "number"
            where, args = (
                f"p.id IN (SELECT patient_id FROM patients_patientphone WHERE {column} = %s "
                "UNION SELECT id FROM patients_patient WHERE mrn = %s)",
                [digits, digits],
            )
        elif len(query) == 18:
            where, args = "p.national_id = %s", [query]
        elif query.isascii() and query.isalpha():
            where, args = "(p.name_initials LIKE %s OR p.name LIKE %s)", [query + "%", query + "%"]
        elif query.isascii():
            where, args = "p.mrn LIKE %s", [query + "%"]
        else:
            where, args = "p.name LIKE %s", [query + "%"]
        base = f"FROM patients_patient p WHERE p.hospital_id = %s AND p.merged_into_id IS NULL AND {where}"
        params = [agent.staff.hospital_id, *args]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT 10001) capped", params)
            cursor.fetchone()
            cursor.execute(f"SELECT p.* {base} ORDER BY p.id DESC LIMIT 25", params)
            cursor.fetchall()

    def orm(query: str, user=agent, number: int = 1):  # type: ignore[no-untyped-def]
        # What the list page and API do when only the search box is used: the page, then its count (a short
        # page is its own), with each row's phones, tags and region.
        page = LookupPaginator(patient_lookup(user=user, query=query), 25).page(number)
        _ = page.paginator.is_capped
        patient_rows_ready(page.object_list)
        for row in page.object_list:
            list(row.phones.all())
            list(row.tags.all())
            _ = row.region_name

    from results import record

    size = f"{Patient.objects.count():,} patients"
    print(f"\n  patient search, {patients:,} patients, p50 / p95 in ms over {repeat} runs")
    print(f"  {'query':<24}{'CareBridge':>20}{'bare SQL':>20}{'ratio p50':>12}")
    for label, query in queries.items():
        ours, base = _time_pair(lambda q=query: orm(q), lambda q=query: bare_sql(q), repeat)
        print(
            f"  {label:<24}{ours[0]:>9.1f} /{ours[1]:>8.1f}"
            f"{base[0]:>9.1f} /{base[1]:>8.1f}{ours[0] / base[0]:>12.2f}"
        )
        record("registry", f"search: {label}, p50", size, ours[0], base[0], "ms")

    # A later page of everyone (page 400, or the last one a smaller hospital has): the rows an OFFSET
    # skips must not run the page's per-row subqueries (its phones and tags), which once made page 400
    # six times slower than page 1.
    everyone = Patient.objects.filter(hospital_id=agent.staff.hospital_id, merged_into__isnull=True).count()
    deep = max(1, min(400, -(-min(everyone, 10_000) // 25)))

    def bare_page(number: int) -> None:
        base = "FROM patients_patient p WHERE p.hospital_id = %s AND p.merged_into_id IS NULL"
        with connection.cursor() as cursor:
            hospital = agent.staff.hospital_id
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT 10001) capped", [hospital])
            cursor.fetchone()
            cursor.execute(
                f"SELECT p.* {base} ORDER BY p.id DESC LIMIT 25 OFFSET %s",
                [hospital, (number - 1) * 25],
            )
            cursor.fetchall()

    ours, base = _time_pair(lambda: orm("", number=deep), lambda: bare_page(deep), repeat)
    deep_label = f"everyone, page {deep}"
    print(
        f"  {deep_label:<24}{ours[0]:>9.1f} /{ours[1]:>8.1f}"
        f"{base[0]:>9.1f} /{base[1]:>8.1f}{ours[0] / base[0]:>12.2f}"
    )
    record("registry", f"list: {deep_label}, p50", size, ours[0], base[0], "ms")

    def bare_scoped(user, query: str) -> None:  # type: ignore[no-untyped-def]
        """The same scoped page and capped count by hand: the patients the user's departments know (the
        maintained link), and for users who may register patients those not yet seen anywhere."""
        from carebridge.core.scope import scope_for

        departments = sorted(scope_for(user).department_ids or [])
        seen = "p.id IN (SELECT patient_id FROM patients_patientdepartment WHERE department_id = ANY(%s))"
        if user.has_perm("patients.add_patient"):
            seen = f"({seen} OR NOT p.seen_anywhere)"
        where, args = (
            (f"{seen} AND p.name LIKE %s", [departments, query + "%"]) if query else (seen, [departments])
        )
        base = f"FROM patients_patient p WHERE p.hospital_id = %s AND p.merged_into_id IS NULL AND {where}"
        params = [user.staff.hospital_id, *args]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM (SELECT 1 {base} LIMIT 10001) capped", params)
            cursor.fetchone()
            cursor.execute(f"SELECT p.* {base} ORDER BY p.id DESC LIMIT 25", params)
            cursor.fetchall()

    for username in ("ward_manager", "checkup_staff"):
        user = get_user_model().objects.get(username=username)
        print(f"\n  department-scoped list ({username}), {patients:,} patients, p50 / p95 in ms")
        print(f"  {'query':<24}{'CareBridge':>20}{'bare SQL':>20}{'ratio p50':>12}")
        for label, query in (("first page", ""), ("search 张", "张")):
            ours, base = _time_pair(
                lambda q=query, u=user: orm(q, u), lambda q=query, u=user: bare_scoped(u, q), repeat
            )
            print(
                f"  {label:<24}{ours[0]:>9.1f} /{ours[1]:>8.1f}"
                f"{base[0]:>9.1f} /{base[1]:>8.1f}{ours[0] / base[0]:>12.2f}"
            )
            record("registry", f"{username} list: {label}, p50", size, ours[0], base[0], "ms")

    token = Token.objects.get_or_create(user=agent)[0].key
    client = Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="localhost")

    def api(path: str):  # type: ignore[no-untyped-def]
        response = client.get(path)
        assert response.status_code == 200, response.content[:200]

    print(f"\n  patient list API (/api/v1/patients/), {patients:,} patients, p50 / p95 in ms")
    for label, path, query in (
        ("first page, no filter", "/api/v1/patients/", None),
        ("search 张", "/api/v1/patients/?q=%E5%BC%A0", "张"),
        ("phone tail", f"/api/v1/patients/?q={phone.tail}", phone.tail),
    ):
        if query is None:
            baseline = lambda: bare_sql_all(connection, agent.staff.hospital_id)  # noqa: E731
        else:
            baseline = lambda q=query: bare_sql(q)  # type: ignore[misc]  # noqa: E731
        ours, base = _time_pair(lambda p=path: api(p), baseline, repeat)
        print(
            f"  {label:<24}{ours[0]:>9.1f} /{ours[1]:>8.1f}"
            f"{base[0]:>9.1f} /{base[1]:>8.1f}{ours[0] / base[0]:>12.2f}"
        )
        record("registry", f"list API: {label}, p50", size, ours[0], base[0], "ms")


def bare_sql_all(connection, hospital_id: int) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM patients_patient WHERE hospital_id = %s "
            "AND merged_into_id IS NULL LIMIT 10001) capped",
            [hospital_id],
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT * FROM patients_patient WHERE hospital_id = %s AND merged_into_id IS NULL "
            "ORDER BY id DESC LIMIT 25",
            [hospital_id],
        )
        cursor.fetchall()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--measure-only", action="store_true", help="internal: measure in this process")
    parser.add_argument(
        "--interleave", action="store_true", help="alternate the product's and the bare SQL's samples"
    )
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="registry: use carebridge_bench_queue_<N>, the demo topped up with SQL-generated patients "
        "(about a minute instead of seed_demo's quarter of an hour per 100,000)",
    )
    parser.add_argument(
        "--suite",
        choices=(
            "registry",
            "followup-queue",
            "insights-panel",
            "insights-dashboard",
            "checkup-day",
            "interop-mllp",
            "loader",
        ),
        default="registry",
        help="registry: patient search and list (default); followup-queue: bench/followup_queue.py; "
        "insights-panel: bench/insights_panel.py (1M × 30, no database); "
        "insights-dashboard: bench/insights_dashboard.py (10M responses); "
        "checkup-day: bench/checkup_day.py (2,000 visits × 60 items); "
        "interop-mllp: bench/interop_mllp.py (ORU^R01 over MLLP, SIGKILL mid-stream); "
        "loader: bench/loader.py (seed_demo's rows/s beside COPY of the same rows)",
    )
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        sys.exit("The benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    if args.suite == "followup-queue":
        for patients in args.patients:
            queue = [sys.executable, str(ROOT / "bench" / "followup_queue.py"), "--patients", str(patients)]
            subprocess.run([*queue, "--repeat", str(args.repeat)], check=True)
        return
    if args.suite == "checkup-day":
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "checkup_day.py"), "--repeat", str(args.repeat)], check=True
        )
        return
    if args.suite == "interop-mllp":
        subprocess.run([sys.executable, str(ROOT / "bench" / "interop_mllp.py")], check=True)
        return
    if args.suite == "loader":
        for patients in args.patients:
            loader = [sys.executable, str(ROOT / "bench" / "loader.py"), "--patients", str(patients)]
            subprocess.run(loader, check=True)
        return
    if args.suite == "insights-panel":
        subprocess.run([sys.executable, str(ROOT / "bench" / "insights_panel.py")], check=True)
        return
    if args.suite == "insights-dashboard":
        dashboard = [sys.executable, str(ROOT / "bench" / "insights_dashboard.py")]
        subprocess.run([*dashboard, "--repeat", str(min(args.repeat, 10))], check=True)
        return
    if args.measure_only:
        measure(args.patients[0], args.repeat)
        return
    import followup_queue

    # As the production web workers run (gunicorn.conf.py): server-side binding, for CareBridge and the bare
    # SQL alike; DB_SERVER_SIDE_BINDING=0 in the environment measures client-side binding.
    binding = followup_queue.web_worker_database()
    for patients in args.patients:
        url = _synthetic_registry(base, patients) if args.synthetic else _database_url(base, patients)
        print(f"== {patients:,} patients ({url}) ==")
        shown = {**os.environ, **binding}.get("DB_SERVER_SIDE_BINDING")
        print(f"  server-side binding (as the web workers, gunicorn.conf.py): DB_SERVER_SIDE_BINDING={shown}")
        if not args.synthetic:
            _ensure_database(url, patients)
        # Measure in a fresh process so Django connects to this size's database.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--measure-only",
                "--patients",
                str(patients),
                "--repeat",
                str(args.repeat),
                *(["--interleave"] if args.interleave else []),
            ],
            check=True,
            env={**os.environ, **binding, "DATABASE_URL": url},
        )


if __name__ == "__main__":
    main()
