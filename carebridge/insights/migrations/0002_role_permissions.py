"""Give the roles their insights permissions (carebridge/insights/roles.py as it stood, frozen)."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

PERMISSIONS = {
    "quality_officer": ("insights.view_comments",),
    "dept_head": ("insights.view_comments",),
    "admin": ("insights.view_comments",),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_analysis_run"), ("core", "0003_role_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
