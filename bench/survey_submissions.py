"""Benchmark of public survey submissions on PostgreSQL: 200 concurrent respondents against a real server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/carebridge .venv/bin/python bench/survey_submissions.py
    ... bench/survey_submissions.py --clients 200 --duplicates 0.2 [--workers 2 --threads 4] [--no-redis]

It creates (once) and migrates a database of its own (``carebridge_bench_surveys``), adds a fresh open
wave with one invitation per distinct respondent, starts gunicorn with the production worker model —
the project's ``gunicorn.conf.py`` (gthread workers, a psycopg pool per worker, prepared statements);
``--workers``/``--threads`` override its counts, as ``GUNICORN_WORKERS``/``GUNICORN_THREADS`` do in
production — with the rate limits in Redis as in production (``REDIS_URL``, else database 14 of the
local server; ``--no-redis`` for the embedded database table) on a free loopback port, and releases
all clients at once: each POSTs the answers of one token to ``/api/public/surveys/<token>/submit/``;
a share of them (``--duplicates``) re-submit a token that another client submits at the same moment.
Every client talks from its own loopback address (127.0.x.y) like separate phones, so the per-address
rate limit does not apply to the crowd.

It prints submissions per second and p50/p95 latency, and asserts that the responses stored for the
wave equal the accepted submissions (201), that no token was stored twice and every response has all
its answer rows, that every duplicate was refused (409 already answered) and that no request failed.
On a machine shared with other work the rate moves with the load, so it also prints the CPU the burst
cost (gunicorn's workers and the database's backends, from /proc) per submission, and the rate that
many idle cores could sustain. Only loopback addresses are used; the run is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ANSWERS = {"q1": 5, "q2": 1, "q3": 4, "nps": 9}
# Production keeps the rate limits in Redis; a database of its own on the machine's server.
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
TIMEOUT = 120.0


def _database_url(base: str) -> str:
    from results import db_name

    return urlunparse(urlparse(base)._replace(path=f"/{db_name('surveys')}"))


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    admin = urlunparse(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"], check=True, env=env
    )


def prepare(distinct: int) -> tuple[int, list[str]]:
    """A fresh open wave with ``distinct`` invitations (run inside Django): its id and the tokens."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from carebridge.core.models import Department, Hospital, Region
    from carebridge.patients.tests.factories import PatientFactory
    from carebridge.surveys.tests.support.responses import invite, open_wave

    hospital, _ = Hospital.objects.get_or_create(
        code="bench-surveys",
        defaults={"name": "基准测试医院", "level": "3A", "region": Region.objects.get(code="320106")},
    )
    department, _ = Department.objects.get_or_create(
        hospital=hospital, code="CARD", defaults={"name": "心血管内科"}
    )
    owner, _ = get_user_model().objects.get_or_create(
        username="bench-survey-owner", defaults={"is_superuser": True}
    )
    stamp = time.strftime("%Y%m%d-%H%M%S")
    wave = open_wave(hospital=hospital, owner=owner, name=f"bench {stamp}", code=f"bench-{stamp}")
    # Unique MRNs per run: the factories' sequences restart in every process.
    patients = [
        PatientFactory(hospital=hospital, mrn=f"B{stamp}-{i}", national_id="") for i in range(distinct)
    ]
    tokens = [invite(wave, department=department, patient=patient).token for patient in patients]
    return wave.pk, tokens


def count_responses(tokens: list[str]) -> tuple[int, int, int]:
    """Responses stored for these tokens, tokens with more than one, and their answer rows."""
    from django.db.models import Count

    from carebridge.surveys.models import Answer, Response

    stored = Response.objects.filter(invitation__token__in=tokens)
    twice = stored.values("invitation_id").annotate(n=Count("id")).filter(n__gt=1).count()
    answers = Answer.objects.filter(response__invitation__token__in=tokens).count()
    return stored.count(), twice, answers


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (Linux /proc), in seconds."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _server_pids(master: int, url: str) -> tuple[list[int], list[int]]:
    """gunicorn's worker processes, and the PostgreSQL backends connected to the bench database."""
    import psycopg

    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                workers.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return workers, [row[0] for row in rows]


def _ensure_redis(url: str) -> None:
    """Stop with a clear message when the rate limits' Redis does not answer (the server would 500)."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        message = f"Redis at {url} does not answer ({error}): start it, or run with --no-redis"
        raise SystemExit(message) from error


def _vacuum(url: str) -> None:
    """``VACUUM (ANALYZE)`` the bench database before the burst, as autovacuum keeps a production one:
    each run claims (updates) hundreds of invitations, and on a server without autovacuum (this machine's
    has it off) their dead rows piled up run after run and slowed the token look-up and the claim."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_server(url: str, port: int, workers: int, threads: int, redis: str) -> subprocess.Popen[bytes]:
    """gunicorn as production runs it (``gunicorn.conf.py``), on ``port``, with these counts; the rate
    limits in ``redis`` (none: the embedded database table)."""
    env = {
        **{name: value for name, value in os.environ.items() if name != "REDIS_URL"},
        **({"REDIS_URL": redis} if redis else {}),
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "carebridge.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        f"--config={ROOT / 'gunicorn.conf.py'}",
        "carebridge.wsgi",
        "--log-level=warning",
    ]
    # The server's log (an access line per submission, as in production) goes to a file, not the terminal.
    log = tempfile.NamedTemporaryFile("w+b", prefix="survey-bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
    print(f"   gunicorn's log: {log.name}")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            # An unknown token: a cheap 404 once Django answers (the health check also probes the broker).
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/api/public/surveys/ready/")
            conn.getresponse().read()
            return server
        except (OSError, http.client.HTTPException) as error:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited with {server.returncode}") from error
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start within 180 s")


def _config(name: str, default: object = None) -> object:
    """A setting of ``gunicorn.conf.py`` as the server will read it (with the environment's overrides)."""
    namespace: dict[str, object] = {}
    exec((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"), namespace)  # noqa: S102 - our own config
    return namespace.get(name, default)


def _config_default(name: str) -> int:
    return int(str(_config(name)))


def _database_options() -> str:
    """What the workers' settings will get: the environment, else the config's defaults (``raw_env``)."""
    defaults = dict(item.split("=", 1) for item in _config("raw_env", []))  # type: ignore[attr-defined]
    chosen = {
        name: os.environ.get(name, defaults.get(name, "")) for name in ("DB_POOL", "DB_SERVER_SIDE_BINDING")
    }
    names = [
        label
        for label, env in (("pool", "DB_POOL"), ("prepared", "DB_SERVER_SIDE_BINDING"))
        if chosen[env].lower() in ("1", "true", "yes", "on")
    ]
    return ", ".join(names) or "no pool"


def _client_address(index: int) -> str:
    return f"127.0.{1 + index // 250}.{1 + index % 250}"


def run_clients(port: int, plan: list[str]) -> tuple[list[tuple[int, float]], float]:
    """Each client posts its token once, all released together: (status, seconds) per client, wall time."""
    results: list[tuple[int, float]] = [(0, 0.0)] * len(plan)
    barrier = threading.Barrier(len(plan) + 1)
    body = json.dumps({"answers": ANSWERS, "language": "zh-hans"})

    def client(index: int, token: str) -> None:
        conn = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=TIMEOUT, source_address=(_client_address(index), 0)
        )
        barrier.wait(timeout=TIMEOUT)
        started = time.perf_counter()
        try:
            conn.request(
                "POST",
                f"/api/public/surveys/{token}/submit/",
                body=body,
                headers={"Content-Type": "application/json", "Host": "127.0.0.1"},
            )
            reply = conn.getresponse()
            reply.read()
            results[index] = (reply.status, time.perf_counter() - started)
        except OSError:
            results[index] = (-1, time.perf_counter() - started)
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(i, token)) for i, token in enumerate(plan)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=TIMEOUT)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    return results, time.perf_counter() - started


def bare_submissions(url: str, plan: list[str], connections: int) -> float:
    """The baseline, measured in the same run: the same submissions written by hand in SQL by as many
    connections as the server has threads — look the invitation up by its token, insert one row per
    token (a duplicate inserts nothing), commit. Submissions per second."""
    import queue

    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_bare_submission "
            "(token text PRIMARY KEY, answers jsonb, at timestamptz)"
        )
        conn.execute("TRUNCATE bench_bare_submission")
    work: queue.Queue[str] = queue.Queue()
    for token in plan:
        work.put(token)
    body = json.dumps(ANSWERS)
    barrier = threading.Barrier(connections + 1)

    def worker() -> None:
        with psycopg.connect(url) as conn:
            barrier.wait(timeout=TIMEOUT)
            while True:
                try:
                    token = work.get_nowait()
                except queue.Empty:
                    return
                with conn.transaction():
                    conn.execute(
                        "SELECT id FROM surveys_invitation WHERE token = %s FOR UPDATE", (token,)
                    ).fetchone()
                    conn.execute(
                        "INSERT INTO bench_bare_submission VALUES (%s, %s, now()) ON CONFLICT DO NOTHING",
                        (token, body),
                    )

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    barrier.wait(timeout=TIMEOUT)
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    return len(plan) / (time.perf_counter() - started)


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=200, help="concurrent respondents (at most 2,000)")
    parser.add_argument(
        "--duplicates", type=float, default=0.2, help="share of clients re-submitting a token"
    )
    parser.add_argument("--workers", type=int, default=_config_default("workers"))
    parser.add_argument("--threads", type=int, default=_config_default("threads"))
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL") or DEFAULT_REDIS,
        help="Redis for the rate limits, as in production (default: REDIS_URL, else %(default)s)",
    )
    parser.add_argument(
        "--no-redis", action="store_true", help="the embedded default: rate limits in a database table"
    )
    args = parser.parse_args()
    if not 1 <= args.clients <= 2000 or not 0 <= args.duplicates < 1:
        raise SystemExit("--clients must be 1…2000 and --duplicates in [0, 1)")
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/carebridge")
    if not base.startswith("postgres"):
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    url = _database_url(base)
    _ensure_database(url)
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="carebridge.settings")
    os.environ.pop("REDIS_URL", None)  # prepare() below writes no rate limits; the server gets its own
    redis = "" if args.no_redis else args.redis
    if redis:
        _ensure_redis(redis)
    duplicates = int(args.clients * args.duplicates)
    distinct = args.clients - duplicates
    warmup = args.workers * args.threads
    _wave_id, all_tokens = prepare(distinct + warmup)
    tokens = all_tokens[warmup:]
    plan = tokens + [tokens[i % distinct] for i in range(duplicates)]
    _vacuum(url)
    port = _free_port()
    server = _start_server(url, port, args.workers, args.threads, redis)
    try:
        # Warm every worker thread (imports, database connections, lexicons) on tokens of their own.
        run_clients(port, all_tokens[:warmup])
        workers, backends = _server_pids(server.pid, url)
        cpu_before = _cpu_seconds(workers), _cpu_seconds(backends), time.process_time()
        results, wall = run_clients(port, plan)
        cpu_after = _cpu_seconds(workers), _cpu_seconds(backends), time.process_time()
    finally:
        server.terminate()
        server.wait(timeout=30)
    statuses = Counter(code for code, _ in results)
    latencies = [seconds for code, seconds in results if code > 0]
    stored, twice, answers = count_responses(tokens)
    clients = f"{args.clients} concurrent clients, {distinct} tokens, {duplicates} duplicates"
    print(f"== public survey submissions: {clients} ==")
    limits = f"rate limits in Redis {redis}" if redis else "rate limits in a database table (no Redis)"
    print(
        f"   gunicorn {args.workers} workers × {args.threads} threads ({_database_options()}), "
        f"PostgreSQL {url.rsplit('/', 1)[-1]}, {limits}"
    )
    print(f"   statuses: {dict(sorted(statuses.items()))}")
    rate, accepted = len(results) / wall, statuses[201] / wall
    print(f"   {rate:,.0f} submissions/s ({accepted:,.0f} accepted/s) over {wall:.2f} s")
    p50, p95 = statistics.median(latencies) * 1000, _percentile(latencies, 0.95)
    print(f"   latency p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print(f"   responses stored for these tokens: {stored} ({twice} tokens twice), {answers} answer rows")
    # CPU the burst cost on this machine, whatever else shares it: the capacity of idle cores follows.
    web_ms = (cpu_after[0] - cpu_before[0]) * 1000 / len(plan)
    database_ms = (cpu_after[1] - cpu_before[1]) * 1000 / len(plan)
    client_ms = (cpu_after[2] - cpu_before[2]) * 1000 / len(plan)
    print(f"   CPU of the bench's own clients: {client_ms:.1f} ms per submission")
    cores = os.cpu_count() or 1
    capacity = cores * 1000 / max(web_ms + database_ms, 0.001)
    print(
        f"   CPU per submission: web workers {web_ms:.1f} ms + PostgreSQL backends {database_ms:.1f} ms "
        f"→ at most {capacity:,.0f} submissions/s on {cores} idle cores"
    )
    assert stored == statuses[201], f"{stored} responses stored but {statuses[201]} submissions accepted"
    assert twice == 0, f"{twice} tokens stored twice"
    assert answers == stored * len(ANSWERS), f"{answers} answer rows for {stored} responses"
    assert statuses[201] == distinct, f"{statuses[201]} accepted for {distinct} distinct tokens"
    assert statuses[409] == duplicates, f"{statuses[409]} duplicates refused of {duplicates}"
    assert sum(statuses.values()) == statuses[201] + statuses[409], f"unexpected statuses: {statuses}"
    print("   OK: every token answered once, every duplicate refused, nothing lost")
    bare = bare_submissions(url, plan, args.workers * args.threads)
    print(
        f"   baseline, the same submissions in bare SQL ({args.workers * args.threads} connections): "
        f"{bare:,.0f} submissions/s; ratio {rate / bare:.3f}"
    )
    from results import record

    options = _database_options()
    options += "" if redis else ", no Redis"
    size = f"{args.clients} clients, gunicorn {args.workers}×{args.threads}, {options}"
    record("survey-submissions", "submissions/s", size, rate, bare, "/s", higher_is_better=True)
    record("survey-submissions", "latency p95", size, p95, None, "ms", baseline_name="")
    record(
        "survey-submissions", "CPU per submission (web + PostgreSQL)", size, web_ms + database_ms, None, "ms"
    )
    record(
        "survey-submissions",
        f"capacity of {cores} idle cores (from the CPU per submission)",
        size,
        capacity,
        bare,
        "/s",
        higher_is_better=True,
    )


if __name__ == "__main__":
    main()
