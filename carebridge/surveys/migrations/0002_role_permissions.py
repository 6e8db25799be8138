"""Give the roles their survey permissions (carebridge/surveys/roles.py as it stood, frozen)."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_READ = ("surveys.view_instrument", "surveys.view_instrumentversion", "surveys.view_wave")
_OFFICE = (
    *_READ,
    "surveys.add_instrument",
    "surveys.change_instrument",
    "surveys.add_instrumentversion",
    "surveys.change_instrumentversion",
    "surveys.add_wave",
    "surveys.change_wave",
    "surveys.view_invitation",
    "surveys.change_invitation",
    "surveys.view_response",
    "surveys.add_response",
    "surveys.export_responses",
    "surveys.analyse_surveys",
    "surveys.view_recoverytrigger",
    "surveys.add_recoverytrigger",
    "surveys.change_recoverytrigger",
    "surveys.view_donotcontact",
    "surveys.add_donotcontact",
    "surveys.view_importbatch",
    "surveys.add_importbatch",
)

PERMISSIONS = {
    "agent": (*_READ, "surveys.view_invitation", "surveys.add_response", "surveys.add_donotcontact"),
    "ward_manager": (*_READ, "surveys.view_invitation", "surveys.analyse_surveys"),
    "quality_officer": _OFFICE,
    "dept_head": (*_READ, "surveys.analyse_surveys"),
    "executive": ("surveys.view_instrument", "surveys.view_wave", "surveys.analyse_surveys"),
    "admin": (*_OFFICE, "surveys.delete_recoverytrigger", "surveys.delete_donotcontact"),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("core", "0003_role_groups")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
