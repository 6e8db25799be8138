"""The Celery application.

Two modes, chosen by settings: with ``REDIS_URL`` the broker is Redis (production, scale out by adding
workers); without it the broker is kombu's file-system transport under ``var/celery`` (the embedded
mode used by ``make demo``: a real worker and beat, no server to install). Tasks take ids and call
services; anything safety-critical is written to the database before it is queued.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")

app = Celery("carebridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
