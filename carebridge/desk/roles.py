"""Permissions this app adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

Complaints: every front-line role may take one (首诉负责制: whoever receives it owns it); the complaint
office closes, reopens, exports and configures; leaders see statistics only. Data migrations grant the
same table (``0003_complaint_role_permissions``); ``test_roles`` checks that they agree.
"""

_RECEIVE = ("desk.add_complaint", "desk.view_complaint", "desk.change_complaint")
_STATS = "desk.view_complaint_statistics"

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": (*_RECEIVE, _STATS),
    "ward_manager": (*_RECEIVE, _STATS),
    "clinician": _RECEIVE,
    "checkup_staff": _RECEIVE,
    "complaint_officer": (
        *_RECEIVE, _STATS, "desk.close_complaint", "desk.export_complaints",
        "desk.view_routingrule", "desk.change_routingrule", "desk.add_routingrule",
        "desk.view_categorykeyword", "desk.change_categorykeyword", "desk.add_categorykeyword",
        "desk.view_complaintpolicy",
    ),
    "quality_officer": ("desk.view_complaint", _STATS, "desk.export_complaints"),
    "dept_head": (*_RECEIVE, _STATS, "desk.export_complaints"),
    "executive": (_STATS,),
    "admin": (
        *_RECEIVE, _STATS, "desk.close_complaint", "desk.export_complaints",
        "desk.view_routingrule", "desk.change_routingrule", "desk.add_routingrule", "desk.delete_routingrule",
        "desk.view_categorykeyword", "desk.change_categorykeyword", "desk.add_categorykeyword",
        "desk.delete_categorykeyword",
        "desk.view_complaintpolicy", "desk.change_complaintpolicy", "desk.add_complaintpolicy",
    ),
}
