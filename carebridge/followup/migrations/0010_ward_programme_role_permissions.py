"""Give the roles their daily-sync and meeting permissions: carebridge/followup/roles.py as it stood, frozen."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_READ = ("followup.view_wardsync", "followup.view_wardmeeting")
_RUN = (*_READ, "followup.add_wardsync", "followup.add_wardmeeting")

PERMISSIONS = {
    "ward_manager": _RUN,
    "quality_officer": (*_READ, "followup.add_wardmeeting"),
    "dept_head": _READ,
    "admin": _RUN,
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("followup", "0009_ward_syncs_and_meetings")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
