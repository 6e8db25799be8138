"""The interfaces' accounts (a sender's ``account``) become system accounts: staff pickers list people."""

from django.db import migrations


def mark(apps, schema_editor):
    Sender = apps.get_model("interop", "Sender")
    Staff = apps.get_model("core", "Staff")
    accounts = Sender.objects.values("account_id")
    Staff.objects.filter(user_id__in=accounts, kind="administrator").update(kind="system")


def unmark(apps, schema_editor):
    Staff = apps.get_model("core", "Staff")
    Staff.objects.filter(kind="system").update(kind="administrator")


class Migration(migrations.Migration):
    dependencies = [
        ("interop", "0002_role_permissions"),
        ("core", "0007_staff_kind_system"),
    ]
    operations = [migrations.RunPython(mark, unmark)]
