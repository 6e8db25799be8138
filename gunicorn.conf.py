"""The production web worker model, read by ``gunicorn carebridge.wsgi`` from the working directory.

Threads, not processes, carry the concurrency: a request spends most of its time waiting on PostgreSQL,
so on the reference 2-core machine 4 processes × 8 threads (32 requests in flight) keep both cores busy
where 4 sync workers queued 196 of 200 simultaneous survey submissions (p95 17.7 s in issue 19). Each
thread keeps its own database connection open for ``DB_CONN_MAX_AGE`` seconds (60 by default; Django's
persistent connections), so PostgreSQL needs ``workers × threads`` connections plus Celery's: keep
``max_connections`` above that. Measured by ``bench/survey_submissions.py`` (docs in bench/README.md).

Every value can be overridden by the environment (GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_BIND,
GUNICORN_TIMEOUT) or on the command line.
"""

from __future__ import annotations

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (a slow leak in a library cannot grow for ever), not all at once.
max_requests = 2000
max_requests_jitter = 200
# Access log without query strings (%(U)s is the path alone): searches carry names, IDs and phones.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
