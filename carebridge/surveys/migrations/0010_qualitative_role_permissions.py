"""Give the roles their interview, focus-group and expert-review permissions: carebridge/surveys/roles.py
as it stood, frozen."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_READ = ("surveys.view_qualitativesession", "surveys.view_expertreview")
_RUN = (*_READ, "surveys.add_qualitativesession", "surveys.add_expertreview", "surveys.change_expertreview")

PERMISSIONS = {
    "quality_officer": _RUN,
    "dept_head": _READ,
    "executive": ("surveys.view_expertreview",),
    "admin": _RUN,
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0009_qualitative_methods")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
