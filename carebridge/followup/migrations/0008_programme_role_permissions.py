"""Give the roles their chronic-programme permissions: carebridge/followup/roles.py as it stood, frozen here."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_READ = ("followup.view_chronicprogramme", "followup.view_programmeenrolment")
_RUN = (*_READ, "followup.add_programmeenrolment", "followup.change_programmeenrolment")

PERMISSIONS = {
    "agent": _RUN,
    "ward_manager": _RUN,
    "quality_officer": _READ,
    "dept_head": _READ,
    "admin": (
        *_RUN,
        "followup.add_chronicprogramme",
        "followup.change_chronicprogramme",
        "followup.delete_chronicprogramme",
    ),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("followup", "0007_chronic_programmes")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
