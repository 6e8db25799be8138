"""Give the roles of DESIGN §4 their complaint permissions (the table of carebridge/desk/roles.py, frozen)."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_RECEIVE = ("desk.add_complaint", "desk.view_complaint", "desk.change_complaint")
_STATS = "desk.view_complaint_statistics"
PERMISSIONS = {
    "agent": (*_RECEIVE, _STATS),
    "ward_manager": (*_RECEIVE, _STATS),
    "clinician": _RECEIVE,
    "checkup_staff": _RECEIVE,
    "complaint_officer": (
        *_RECEIVE,
        _STATS,
        "desk.close_complaint",
        "desk.export_complaints",
        "desk.view_routingrule",
        "desk.change_routingrule",
        "desk.add_routingrule",
        "desk.view_categorykeyword",
        "desk.change_categorykeyword",
        "desk.add_categorykeyword",
        "desk.view_complaintpolicy",
    ),
    "quality_officer": ("desk.view_complaint", _STATS, "desk.export_complaints"),
    "dept_head": (*_RECEIVE, _STATS, "desk.export_complaints"),
    "executive": (_STATS,),
    "admin": (
        *_RECEIVE,
        _STATS,
        "desk.close_complaint",
        "desk.export_complaints",
        "desk.view_routingrule",
        "desk.change_routingrule",
        "desk.add_routingrule",
        "desk.delete_routingrule",
        "desk.view_categorykeyword",
        "desk.change_categorykeyword",
        "desk.add_categorykeyword",
        "desk.delete_categorykeyword",
        "desk.view_complaintpolicy",
        "desk.change_complaintpolicy",
        "desk.add_complaintpolicy",
    ),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_seed_category_lexicon"),
        ("core", "0003_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
