"""Give the roles of DESIGN §4 their follow-up permissions (the table of carebridge/followup/roles.py, frozen)."""

from django.db import migrations

from carebridge.core.roles import grant_in_migration

_READ = ("followup.view_careplan", "followup.view_touchpoint", "followup.view_callattempt")
_CONFIG_READ = (
    "followup.view_followuptier",
    "followup.view_tierrule",
    "followup.view_followuppolicy",
    "followup.view_callscript",
)
_CALL = ("followup.change_touchpoint", "followup.add_callattempt")
_KPIS = "followup.view_followup_kpis"
_CONFIG_MODELS = (
    "followuppolicy",
    "followuptier",
    "tierwindow",
    "tierrule",
    "touchpointtemplate",
    "callscript",
    "wardprojectmanager",
)
PERMISSIONS = {
    "agent": (*_READ, *_CONFIG_READ, *_CALL, "followup.work_call_queue"),
    "ward_manager": (
        *_READ,
        *_CONFIG_READ,
        *_CALL,
        "followup.change_careplan",
        "followup.add_touchpoint",
        "followup.retier_careplan",
        _KPIS,
    ),
    "clinician": (*_READ, "followup.view_callscript", *_CALL),
    "quality_officer": (*_READ, *_CONFIG_READ, _KPIS),
    "dept_head": (*_READ, _KPIS),
    "executive": (_KPIS,),
    "admin": (
        *_READ,
        *_CALL,
        "followup.change_careplan",
        "followup.add_touchpoint",
        "followup.retier_careplan",
        "followup.work_call_queue",
        _KPIS,
        *(
            f"followup.{action}_{model}"
            for model in _CONFIG_MODELS
            for action in ("view", "add", "change", "delete")
        ),
    ),
}


def grant(apps, schema_editor):
    grant_in_migration(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("core", "0003_role_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
