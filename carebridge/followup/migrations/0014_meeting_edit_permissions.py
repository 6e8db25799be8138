"""Give the roles that record meetings the right to correct them (minutes and decisions written up after
the meeting): carebridge/followup/roles.py as it stood, frozen."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

PERMISSIONS = {
    "ward_manager": ("followup.change_wardmeeting",),
    "quality_officer": ("followup.change_wardmeeting",),
    "admin": ("followup.change_wardmeeting",),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("followup", "0013_stay_item_transitions")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
