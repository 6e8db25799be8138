"""Give administrators the interfaces' permissions: carebridge/interop/roles.py as it stood, frozen here."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

PERMISSIONS = {
    "admin": (
        "interop.view_inboundmessage",
        "interop.replay_inboundmessage",
        "interop.view_sender",
        "interop.add_sender",
        "interop.change_sender",
        "interop.view_codemapping",
        "interop.add_codemapping",
    ),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0001_inbound_log"),
        ("core", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
