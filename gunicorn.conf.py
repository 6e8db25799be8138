"""The production web worker model, read by ``gunicorn carebridge.wsgi`` from the working directory.

Measured with ``bench/survey_submissions.py`` (200 simultaneous public survey submissions, issue 18 item 5
and issue 19 item 13; figures in bench/README.md), which starts gunicorn with this very file:

- **gthread workers, one process per core, few threads**: a request's Python work holds its process's
  GIL, so processes carry the CPU and threads only cover the time a request waits on PostgreSQL or
  Redis. On the reference 2-core machine, which also runs PostgreSQL and Redis, 2 processes × 4
  threads: 200 simultaneous submissions with p95 under 1 s in 35 of 37 runs (median 0.75 s, 0.55–1.16
  s), against 0.81–1.24 s in 10 runs at 2 × 8 (issue 19 item 13 asks < 1 s; bench/README.md has the
  series). More threads per process cost CPU — each contends for the GIL, and PostgreSQL serves more
  connections at once: 4.4–4.8 ms of web CPU per submission at 2 × 4, 4.8–6.0 ms at 2 × 8 —, and more
  processes than cores only add context switches and ~190 MB each. 2 × 2 was as fast for the burst
  (p95 0.57–0.74 s), but four requests at once is too few for the staff pages next to the crowd. On a
  larger server: one process per core (GUNICORN_WORKERS), and measure with the bench before adding
  threads. No async worker class: the ORM is synchronous, and no gevent/eventlet is pinned.
- **a psycopg connection pool per process** (Django 5.2 ``OPTIONS["pool"]``, ``DB_POOL``), as large as
  the threads (``DB_POOL_MAX``), so a thread never waits for a connection and PostgreSQL sees at most
  ``workers × threads`` connections from the web tier (8 here; keep ``max_connections`` above that
  plus Celery's).
- **server-side binding** (``DB_SERVER_SIDE_BINDING``): psycopg prepares the statements a pooled
  connection repeats (the token lookup, the claim, the inserts), so PostgreSQL plans them once per
  connection. Set ``DB_SERVER_SIDE_BINDING=0`` behind PgBouncer in transaction mode.
- a listen backlog large enough for a crowd (2,048): connections wait in the kernel, not refused.

Every value can be overridden by the environment (GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_BIND,
GUNICORN_TIMEOUT, and DB_POOL, DB_POOL_MAX, DB_SERVER_SIDE_BINDING, which the workers' settings read) or
on the command line. ``docs/performance.md`` ("Production worker model") explains the choice.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
backlog = 2048
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a slow leak in a library cannot grow for ever), not all at once.
max_requests = 2000
max_requests_jitter = 200

# The database side of the model, for the workers' settings (an operator's own environment wins).
_DATABASE_DEFAULTS = {
    "DB_POOL": "1",
    "DB_POOL_MIN": str(threads),
    "DB_POOL_MAX": str(threads),
    "DB_SERVER_SIDE_BINDING": "1",
}
raw_env = [f"{name}={value}" for name, value in _DATABASE_DEFAULTS.items() if name not in os.environ]

# Access log without query strings (%(U)s is the path alone): searches carry names, IDs and phones.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker: object) -> None:
    """Import the URL configuration — every view module, DRF, the schema tools — as soon as a worker has
    loaded the application, not on its first request: that request took 1.1 s instead of ~60 ms, and a
    worker recycled (``max_requests``) in the middle of a crowd made one respondent wait that second
    while the process's other threads stood still (measured with ``bench/survey_submissions.py``)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - the import is the point
