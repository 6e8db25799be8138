"""Background work runs through a real broker, in whichever mode the settings choose.

Without REDIS_URL (``make test``) the broker is the embedded file-system transport (``core/broker.py``);
with it (the PostgreSQL stage of CI) it is Redis. The registry's test of a real worker taking the nightly
job from the broker lives in ``carebridge/patients/tests/tasks/test_worker.py``.
"""

from __future__ import annotations

from django.conf import settings

from carebridge.celery import app


def test_the_broker_matches_the_configured_mode():
    transport = app.connection_for_write().transport_cls
    expected = "redis" if settings.REDIS_URL else "carebridge.core.broker:Transport"
    assert transport == expected
