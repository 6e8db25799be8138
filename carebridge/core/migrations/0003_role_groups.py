"""Create the role groups of DESIGN §4 with their permissions as of this migration.

The table is frozen here on purpose: later migrations add what later modules need, and
``manage.py sync_roles`` applies the live table in ``carebridge/core/roles.py``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "agent": (
        "patients.view_patient",
        "patients.view_encounter",
        "core.view_department",
        "core.hospital_wide_scope",
        "patients.add_patient",
        "patients.change_patient",
        "patients.reveal_identifiers",
        "patients.view_registry_statistics",
    ),
    "ward_manager": (
        "patients.view_patient",
        "patients.view_encounter",
        "core.view_department",
        "patients.change_patient",
        "patients.reveal_identifiers",
        "patients.view_registry_statistics",
    ),
    "clinician": (
        "patients.view_patient",
        "patients.view_encounter",
        "core.view_department",
        "patients.reveal_identifiers",
    ),
    "checkup_staff": (
        "patients.view_patient",
        "patients.view_encounter",
        "core.view_department",
        "patients.add_patient",
        "patients.change_patient",
        "patients.add_encounter",
        "patients.reveal_identifiers",
    ),
    "complaint_officer": (
        "patients.view_patient",
        "patients.view_encounter",
        "core.view_department",
        "core.hospital_wide_scope",
        "patients.reveal_identifiers",
        "patients.view_registry_statistics",
    ),
    "quality_officer": (
        "patients.view_patient",
        "patients.view_encounter",
        "core.view_department",
        "core.hospital_wide_scope",
        "patients.view_registry_statistics",
        "patients.export_patients",
    ),
    "dept_head": (
        "patients.view_patient",
        "patients.view_encounter",
        "core.view_department",
        "patients.view_registry_statistics",
        "patients.export_patients",
    ),
    "executive": (
        "core.view_department",
        "core.hospital_wide_scope",
        "patients.view_registry_statistics",
    ),
    "admin": (
        "patients.view_patient",
        "patients.view_encounter",
        "core.view_department",
        "core.hospital_wide_scope",
        "patients.add_patient",
        "patients.change_patient",
        "patients.merge_patient",
        "patients.add_encounter",
        "patients.change_encounter",
        "patients.view_patientaccesslog",
        "patients.view_dataqualityreport",
        "patients.export_patients",
        "patients.view_registry_statistics",
        "core.view_auditevent",
        "core.add_department",
        "core.change_department",
        "core.view_staff",
        "core.add_staff",
        "core.change_staff",
        "core.view_ward",
        "core.add_ward",
        "core.change_ward",
        "core.view_hospital",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
    ),
}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make them exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, dotted in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for item in dotted:
            app_label, codename = item.split(".", 1)
            permissions.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_load_regions"),
        ("patients", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
