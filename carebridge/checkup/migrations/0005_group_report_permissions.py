"""Give the roles the permissions of the group reports (issue 14): the chief examiner writes and releases
a unit's expert advice; administrators edit the findings catalogue and the reference data.
carebridge/checkup/roles.py as it stood, frozen here."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

CONFIG = (
    "reportablefinding",
    "referencepopulation",
    "referencestratum",
    "referenceprevalence",
    "referencerate",
)

PERMISSIONS = {
    "chief_examiner": (
        "checkup.view_groupreportadvice",
        "checkup.add_groupreportadvice",
        "checkup.release_groupreportadvice",
    ),
    "admin": (
        "checkup.view_groupreportadvice",
        *(f"checkup.{action}_{model}" for model in CONFIG for action in ("view", "add", "change", "delete")),
    ),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("checkup", "0004_group_reports")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
