"""The demo loader's write rate beside COPY of the same rows into the same schema (issue 18 item 6).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carebridge python bench/loader.py --patients 2000

1. A migrated, empty schema database ``<prefix>load_schema`` is made once (kept; migrating costs minutes
   on the shared machine) and used as the template of the two databases below.
2. ``<prefix>load_<N>`` is created afresh from it and ``manage.py seed_demo --patients N --seed 7`` runs in
   it in a process of its own; its wall time (Django start-up included, as a user times it) and the rows
   it added to every table give the loader's rows/s.
3. The baseline, in the same run: every table of the seeded database is dumped (``COPY … TO``, not timed)
   and loaded with ``COPY … FROM`` into ``<prefix>load_<N>_copy``, a second copy of the same empty schema
   (its few preinstalled rows truncated first), all tables in one transaction with the foreign keys
   checked at commit (Django's are ``DEFERRABLE INITIALLY DEFERRED``) and every index maintained — the
   fastest way to put the same rows into the same schema. Rows/s of that load is the baseline.

Printed: both rates, the ratio (loader ÷ COPY; 1.0 would be COPY speed), the largest tables. Figures are
printed and recorded (``bench/results.py``), never asserted. ``--keep`` keeps the two databases.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from results import db_name, load_average, record  # noqa: E402


def _url(base: str, name: str) -> str:
    return urlunparse(urlparse(base)._replace(path=f"/{name}"))


def _tables(conn) -> list[str]:  # type: ignore[no-untyped-def]
    rows = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'django_migrations'"
        " ORDER BY c.relname"
    ).fetchall()
    return [name for (name,) in rows]


def _counts(conn, tables: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def _schema(base: str) -> str:
    """The migrated empty schema, made once: ``<prefix>load_schema``; a kept one is brought up to the
    code's migrations first (a migration added since would fail the load)."""
    import psycopg

    name = db_name("load_schema")
    with psycopg.connect(_url(base, "postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}_tmp"')
    if exists:
        env = {**os.environ, "DATABASE_URL": _url(base, name)}
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], check=True, env=env)
        return name
    started = time.perf_counter()
    env = {**os.environ, "DATABASE_URL": _url(base, f"{name}_tmp")}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], check=True, env=env
    )
    with psycopg.connect(_url(base, "postgres"), autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{name}_tmp" RENAME TO "{name}"')
    print(f"  migrated the empty schema {name} in {time.perf_counter() - started:.0f} s (once)")
    return name


def _fresh(base: str, name: str, template: str) -> None:
    import psycopg

    with psycopg.connect(_url(base, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _seed(url: str, patients: int, seed: int) -> tuple[float, str]:
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "seed_demo",
            "--patients",
            str(patients),
            "--seed",
            str(seed),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"seed_demo failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return elapsed, done.stdout


def _copy(source_url: str, target_url: str, tables: list[str], workdir: Path) -> float:
    """Dump every table (not timed), then load them all with COPY in one transaction (timed)."""
    import psycopg

    files: dict[str, Path] = {}
    with psycopg.connect(source_url) as source:
        for table in tables:
            path = workdir / f"{table}.copy"
            with source.cursor().copy(f'COPY "{table}" TO STDOUT') as copy, path.open("wb") as out:
                for chunk in copy:
                    out.write(chunk)
            files[table] = path
    with psycopg.connect(target_url) as target:
        target.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        target.commit()
        started = time.perf_counter()
        with target.transaction():
            cursor = target.cursor()
            for table in tables:
                with cursor.copy(f'COPY "{table}" FROM STDIN') as copy, files[table].open("rb") as data:
                    while chunk := data.read(1 << 20):
                        copy.write(chunk)
        elapsed = time.perf_counter() - started
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the seeded and the copied database")
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        sys.exit("The loader bench runs on PostgreSQL: set DATABASE_URL=postgres://...")
    import psycopg

    template = _schema(base)
    seeded, copied = db_name(f"load_{args.patients}"), db_name(f"load_{args.patients}_copy")
    _fresh(base, seeded, template)
    with psycopg.connect(_url(base, seeded)) as conn:
        tables = _tables(conn)
        before = _counts(conn, tables)
    load_before = load_average()
    print(f"  seed_demo --patients {args.patients:,} --seed {args.seed} into {seeded} (load {load_before})")
    seconds, output = _seed(_url(base, seeded), args.patients, args.seed)
    with psycopg.connect(_url(base, seeded)) as conn:
        after = _counts(conn, tables)
    added = {t: after[t] - before[t] for t in tables}
    written = sum(added.values())
    total = sum(after.values())
    steps = [
        (float(match.group(2)), match.group(1))
        for line in output.splitlines()
        if (match := re.fullmatch(r"  (\S.*): (\d+\.\d)s", line.rstrip()))
    ]
    slowest = [f"{name} {took:.0f} s" for took, name in sorted(steps, reverse=True)[:6]]
    print(f"  seed_demo: {seconds:.1f} s, {written:,} rows → {written / seconds:,.0f} rows/s")
    print("  slowest steps: " + "; ".join(slowest))
    _fresh(base, copied, template)
    with tempfile.TemporaryDirectory(prefix="cb_loader_bench_") as workdir:
        copy_seconds = _copy(_url(base, seeded), _url(base, copied), tables, Path(workdir))
    print(
        f"  COPY of the same {total:,} rows (all tables, same schema and indexes, one transaction):"
        f" {copy_seconds:.1f} s → {total / copy_seconds:,.0f} rows/s"
    )
    ours, baseline = written / seconds, total / copy_seconds
    print(f"  ratio seed_demo ÷ COPY: {ours / baseline:.2f} (load average {load_before} → {load_average()})")
    largest = sorted(added.items(), key=lambda item: -item[1])[:8]
    print("  largest tables: " + ", ".join(f"{t} {n:,}" for t, n in largest))
    size = f"{args.patients:,} patients"
    record(
        "loader",
        "seed_demo rows/s",
        size,
        ours,
        baseline,
        "rows/s",
        higher_is_better=True,
        baseline_name="COPY",
    )
    record(
        "loader", "seed_demo wall time", size, seconds, copy_seconds, "s", baseline_name="COPY of the rows"
    )
    if not args.keep:
        with psycopg.connect(_url(base, "postgres"), autocommit=True) as admin:
            for name in (seeded, copied):
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
