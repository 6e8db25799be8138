"""Give the roles their improvement-action permissions: carebridge/performance/roles.py as it stood, frozen here."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_VIEW = ("performance.view_improvementaction",)
_RUN = (*_VIEW, "performance.add_improvementaction", "performance.change_improvementaction")

PERMISSIONS = {
    "ward_manager": _RUN,
    "complaint_officer": _RUN,
    "quality_officer": _RUN,
    "dept_head": _RUN,
    "executive": _VIEW,
    "admin": _RUN,
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0002_improvement_actions"),
        ("core", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
