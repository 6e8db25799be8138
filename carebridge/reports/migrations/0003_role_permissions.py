"""Give the roles the reports' permissions: carebridge/reports/roles.py as it stood, frozen here."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

CENTRE_REPORT = "reports.view_centre_report"
LEADERSHIP_REPORT = "reports.view_leadership_report"

PERMISSIONS = {
    "checkup_staff": (CENTRE_REPORT,),
    "chief_examiner": (CENTRE_REPORT,),
    "executive": (CENTRE_REPORT, LEADERSHIP_REPORT),
    "dept_head": (LEADERSHIP_REPORT,),
    "quality_officer": (LEADERSHIP_REPORT,),
    "admin": (CENTRE_REPORT, LEADERSHIP_REPORT),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_report_permissions"),
        ("core", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
