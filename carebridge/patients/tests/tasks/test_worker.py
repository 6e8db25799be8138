"""The registry's nightly check runs through a real broker and a real worker, in whichever mode the
settings choose (moved here from ``core/tests/tasks/test_celery.py``: core's tests need no domain app).

Without REDIS_URL (``make test``) the broker is the embedded file-system transport; with it (the
PostgreSQL stage of CI) the same test goes through Redis. Beat only has to put the message on the
broker, which ``apply_async`` does the same way, so the test proves the nightly job runs end to end.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from carebridge.celery import app
from carebridge.core.tests.factories import HospitalFactory
from carebridge.core.tests.support.worker import running_worker
from carebridge.patients.models import DataQualityReport
from carebridge.patients.tests.factories import PatientFactory


def test_the_registry_check_is_scheduled_every_night_at_half_past_two():
    app.loader.import_default_modules()  # what a worker or beat does at start: discover the tasks
    entry = settings.CELERY_BEAT_SCHEDULE["registry-quality-check"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {2}
    assert entry["schedule"].minute == {30}
    assert app.conf.timezone == "Asia/Shanghai"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_takes_the_nightly_check_from_the_broker_and_stores_a_report(private_queue):
    hospital = HospitalFactory()
    PatientFactory.create_batch(3, hospital=hospital)
    with running_worker(app) as worker:
        app.tasks["carebridge.patients.tasks.registry_quality_check"].delay(hospital.pk)
        worker.wait_for("carebridge.patients.tasks.registry_quality_check", timeout=30)
    report = DataQualityReport.objects.get(hospital=hospital)
    assert report.patients == 3
    assert report.broker == ("redis" if settings.REDIS_URL else "filesystem")
