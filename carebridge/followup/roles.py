"""Permissions this app adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

Agents work the call centre's queue and see plans hospital-wide; ward project managers run the plans and
touchpoints of their departments and may re-tier; clinicians make the post-discharge calls of their
departments; the quality office and department heads read (their scope decides how much) and see KPIs;
leaders see KPIs only; administrators configure. Granted by ``0002_followup_role_permissions``;
``core/tests/test_roles`` checks that the two agree.
"""

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

# Chronic-disease programmes (issue 21): who sees the programmes and their patients, who enrols and
# takes patients out, who configures them. Granted by ``0008_programme_role_permissions``.
_PROGRAMME_READ = ("followup.view_chronicprogramme", "followup.view_programmeenrolment")
_PROGRAMME_RUN = (*_PROGRAMME_READ, "followup.add_programmeenrolment", "followup.change_programmeenrolment")
_PROGRAMME_CONFIG = tuple(f"followup.{action}_chronicprogramme" for action in ("add", "change", "delete"))
# The ward programme's daily syncs and meetings (issue 21): ``0010_ward_programme_role_permissions``.
_ROUTINE_READ = ("followup.view_wardsync", "followup.view_wardmeeting")
_ROUTINE_RUN = (*_ROUTINE_READ, "followup.add_wardsync", "followup.add_wardmeeting")
# Correcting a meeting's record (minutes and decisions written up later): ``0014_meeting_edit_permissions``.
_MEETING_EDIT = "followup.change_wardmeeting"
# Stay plans (issue 21): the project manager makes them with the doctor and nurse, clinicians read them
# and close their items. ``0012_stay_plan_role_permissions``.
_STAY_READ = ("followup.view_stayplan",)
_STAY_RUN = (*_STAY_READ, "followup.add_stayplan", "followup.change_stayplan")
PROGRAMME_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": _PROGRAMME_RUN,
    "ward_manager": (*_PROGRAMME_RUN, *_ROUTINE_RUN, _MEETING_EDIT, *_STAY_RUN),
    "clinician": (*_STAY_READ, "followup.change_stayplan"),
    "quality_officer": (
        *_PROGRAMME_READ,
        *_ROUTINE_READ,
        "followup.add_wardmeeting",
        _MEETING_EDIT,
        *_STAY_READ,
    ),
    "dept_head": (*_PROGRAMME_READ, *_ROUTINE_READ, *_STAY_READ),
    "admin": (*_PROGRAMME_RUN, *_PROGRAMME_CONFIG, *_ROUTINE_RUN, _MEETING_EDIT, *_STAY_RUN),
}

PERMISSIONS: dict[str, tuple[str, ...]] = {
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

for _role, _extra in PROGRAMME_PERMISSIONS.items():
    PERMISSIONS[_role] = (*PERMISSIONS[_role], *_extra)

# Where each role starts (the root URL sends a user there): URL name and the permission the page needs.
START_PAGES: dict[str, tuple[str, str]] = {
    "ward_manager": ("followup:kpi_dashboard", "followup.view_followup_kpis"),
    "clinician": ("followup:queue", "followup.change_touchpoint"),
}
