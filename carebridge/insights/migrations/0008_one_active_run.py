"""One queued or running analysis run per selection and data version; a run's failure can be "denied".

Before the constraint, a database may hold doubles (two requests that arrived together). One of each
stays active: the run a worker is computing (a heartbeat in the last two minutes, ``HEARTBEAT_STALE``),
else the newest queued one; the others are failed as interrupted, as the minute's sweep fails a run no
worker finished. Web processes and workers of the old code are stopped for the migration (it could
otherwise meet a new double).
"""

import datetime as dt

from django.db import migrations, models
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone, translation
from django.utils.translation import gettext


def fail_doubles(apps, schema_editor):
    AnalysisRun = apps.get_model("insights", "AnalysisRun")
    computing = When(
        status="running", heartbeat_at__gte=timezone.now() - dt.timedelta(minutes=2), then=Value(0)
    )
    active = (
        AnalysisRun.objects.filter(status__in=["queued", "running"])
        .annotate(kept_first=Case(computing, default=Value(1), output_field=IntegerField()))
        .order_by("selection_hash", "data_version", "kept_first", "-created_at", "-id")
    )
    seen, doubles = set(), []
    for pk, key, version in active.values_list("pk", "selection_hash", "data_version"):
        if (key, version) in seen:
            doubles.append(pk)
        seen.add((key, version))
    with translation.override("zh-hans"):  # the run's error, as the sweep words it (services.runs)
        error = gettext("Interrupted: no worker finished this run in time. Request it again.")
    AnalysisRun.objects.filter(pk__in=doubles).update(
        status="failed", failure="interrupted", error=error, finished_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0007_run_kinds_and_failure"),
    ]

    operations = [
        migrations.RunPython(fail_doubles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="analysisrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running"])),
                fields=("selection_hash", "data_version"),
                name="analysisrun_one_active",
            ),
        ),
        migrations.AlterField(
            model_name="analysisrun",
            name="failure",
            field=models.CharField(
                blank=True,
                choices=[
                    ("data", "The data cannot support the analysis"),
                    ("internal", "Internal error"),
                    ("interrupted", "Interrupted"),
                    ("denied", "The requester may no longer read these data"),
                ],
                max_length=12,
                verbose_name="failure",
            ),
        ),
    ]
