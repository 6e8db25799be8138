"""Give every role its critical-result permissions: carebridge/critical/roles.py as it stood, frozen here."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

PERMISSIONS = {
    "checkup_staff": (
        "critical.view_notification",
        "critical.view_finding",
        "critical.view_attempt",
        "critical.view_rule",
        "critical.view_ruleset",
        "critical.work_notification",
        "critical.view_critical_kpis",
    ),
    "clinician": (
        "critical.view_notification",
        "critical.view_finding",
        "critical.view_attempt",
        "critical.view_rule",
        "critical.view_ruleset",
        "critical.work_notification",
    ),
    "chief_examiner": (
        "critical.view_notification",
        "critical.view_finding",
        "critical.view_attempt",
        "critical.view_rule",
        "critical.view_ruleset",
        "critical.work_notification",
        "critical.view_critical_kpis",
        "critical.signoff_notification",
    ),
    "dept_head": (
        "critical.view_notification",
        "critical.view_finding",
        "critical.view_attempt",
        "critical.view_rule",
        "critical.view_ruleset",
        "critical.work_notification",
        "critical.view_critical_kpis",
        "critical.signoff_notification",
    ),
    "executive": ("critical.view_critical_kpis",),
    "admin": (
        "critical.view_notification",
        "critical.view_finding",
        "critical.view_attempt",
        "critical.view_rule",
        "critical.view_ruleset",
        "critical.work_notification",
        "critical.view_critical_kpis",
        "critical.signoff_notification",
        "critical.view_ruleset",
        "critical.add_ruleset",
        "critical.change_ruleset",
        "critical.delete_ruleset",
        "critical.view_rule",
        "critical.add_rule",
        "critical.change_rule",
        "critical.delete_rule",
        "critical.view_classpolicy",
        "critical.add_classpolicy",
        "critical.change_classpolicy",
        "critical.delete_classpolicy",
    ),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("critical", "0001_critical_results"),
        ("core", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
