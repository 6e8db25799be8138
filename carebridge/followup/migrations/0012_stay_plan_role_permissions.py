"""Give the roles their stay-plan permissions: carebridge/followup/roles.py as it stood, frozen."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_READ = ("followup.view_stayplan",)
_RUN = (*_READ, "followup.add_stayplan", "followup.change_stayplan")

PERMISSIONS = {
    "ward_manager": _RUN,
    "clinician": (*_READ, "followup.change_stayplan"),
    "quality_officer": _READ,
    "dept_head": _READ,
    "admin": _RUN,
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("followup", "0011_stay_plans")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
