"""Give the roles their scorecard and cockpit permissions: performance/domain/roles_scorecard.py as it
stood, frozen here."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

VIEW = "performance.view_scorecards"
COCKPIT = "performance.view_cockpit"
ENTER = "performance.enter_kpi_values"
CLOSE = "performance.close_score_periods"
MANAGE = "performance.manage_scorecards"

PERMISSIONS = {
    "executive": (VIEW, COCKPIT),
    "dept_head": (VIEW, COCKPIT, ENTER),
    "quality_officer": (VIEW, COCKPIT, ENTER, CLOSE),
    "admin": (VIEW, COCKPIT, ENTER, CLOSE, MANAGE),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("performance", "0003_scorecard_cockpit_permission"),
        ("core", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
