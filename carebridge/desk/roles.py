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

# Inquiries, escorts, shift handover and work logs (the desk's daily work), granted by
# ``0005_desk_work_role_permissions``. Wards and the checkup centre request escorts for their patients;
# agents do the rest; department heads read their departments' escorts and their agents' work logs.
_INQUIRY = ("desk.add_inquiry", "desk.view_inquiry", "desk.change_inquiry")
_INQUIRY_STATS = "desk.view_inquiry_statistics"
_ESCORT = ("desk.add_escort", "desk.view_escort", "desk.change_escort")
_HANDOVER = ("desk.view_handover", "desk.change_handover", "desk.acknowledge_handover", "desk.view_shift")
_WORKLOG = ("desk.add_worklog", "desk.view_worklog", "desk.change_worklog")

DESK_WORK_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": (*_INQUIRY, _INQUIRY_STATS, *_ESCORT, *_HANDOVER, *_WORKLOG),
    "ward_manager": _ESCORT,
    "clinician": ("desk.add_escort", "desk.view_escort"),
    "checkup_staff": ("desk.add_escort", "desk.view_escort"),
    "complaint_officer": ("desk.view_inquiry", _INQUIRY_STATS, "desk.view_escort", "desk.view_handover"),
    "quality_officer": ("desk.view_inquiry", _INQUIRY_STATS),
    "dept_head": (_INQUIRY_STATS, "desk.view_escort", "desk.view_worklog", "desk.review_worklogs"),
    "executive": (_INQUIRY_STATS,),
    "admin": (
        *_INQUIRY,
        _INQUIRY_STATS,
        *_ESCORT,
        *_HANDOVER,
        *_WORKLOG,
        "desk.review_worklogs",
        "desk.add_shift",
        "desk.change_shift",
    ),
}
for _role, _extra in DESK_WORK_PERMISSIONS.items():
    PERMISSIONS[_role] = tuple(dict.fromkeys((*PERMISSIONS.get(_role, ()), *_extra)))
