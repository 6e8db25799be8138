"""Give the roles their mystery-patient audit permissions: carebridge/surveys/roles.py as it stood, frozen."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_READ = ("surveys.view_auditround", "surveys.view_auditvisit")
_RUN = (*_READ, "surveys.add_auditround", "surveys.add_auditvisit")

PERMISSIONS = {"quality_officer": _RUN, "dept_head": _READ, "executive": _READ, "admin": _RUN}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0007_mystery_patient_audits")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
