"""Give the role groups their permissions on the living dictionary (frozen copy of knowledge/roles.py)."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

PERMISSIONS = {
    "agent": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
        "knowledge.add_hospitalprofile",
        "knowledge.change_hospitalprofile",
        "knowledge.add_departmentprofile",
        "knowledge.change_departmentprofile",
        "knowledge.add_service",
        "knowledge.change_service",
        "knowledge.add_doctor",
        "knowledge.change_doctor",
        "knowledge.add_clinicsession",
        "knowledge.change_clinicsession",
        "knowledge.add_externalhospital",
        "knowledge.change_externalhospital",
        "knowledge.add_faq",
        "knowledge.change_faq",
    ),
    "ward_manager": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
    ),
    "clinician": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
    ),
    "checkup_staff": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
    ),
    "complaint_officer": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
    ),
    "quality_officer": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
    ),
    "dept_head": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
    ),
    "executive": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
    ),
    "admin": (
        "knowledge.view_hospitalprofile",
        "knowledge.view_departmentprofile",
        "knowledge.view_service",
        "knowledge.view_doctor",
        "knowledge.view_clinicsession",
        "knowledge.view_externalhospital",
        "knowledge.view_faq",
        "knowledge.add_hospitalprofile",
        "knowledge.change_hospitalprofile",
        "knowledge.add_departmentprofile",
        "knowledge.change_departmentprofile",
        "knowledge.add_service",
        "knowledge.change_service",
        "knowledge.add_doctor",
        "knowledge.change_doctor",
        "knowledge.add_clinicsession",
        "knowledge.change_clinicsession",
        "knowledge.add_externalhospital",
        "knowledge.change_externalhospital",
        "knowledge.add_faq",
        "knowledge.change_faq",
    ),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("core", "0003_role_groups"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
