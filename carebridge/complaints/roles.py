"""Permissions complaints add to the roles of DESIGN §4 (merged by carebridge.core.roles).

Every front-line role may take a complaint (首诉负责制: whoever receives it owns it); the complaint office
closes, reopens, exports and configures; leaders see statistics only. The data migration
``desk/0003_complaint_role_permissions`` granted the same table under the app's former label ``desk``;
``complaints/0001_initial`` relabelled those permissions, and ``test_roles`` checks that they agree.
"""

_RECEIVE = ("complaints.add_complaint", "complaints.view_complaint", "complaints.change_complaint")
_STATS = "complaints.view_complaint_statistics"

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": (*_RECEIVE, _STATS),
    "ward_manager": (*_RECEIVE, _STATS),
    "clinician": _RECEIVE,
    "checkup_staff": _RECEIVE,
    "complaint_officer": (
        *_RECEIVE,
        _STATS,
        "complaints.close_complaint",
        "complaints.export_complaints",
        "complaints.view_routingrule",
        "complaints.change_routingrule",
        "complaints.add_routingrule",
        "complaints.view_categorykeyword",
        "complaints.change_categorykeyword",
        "complaints.add_categorykeyword",
        "complaints.view_complaintpolicy",
    ),
    "quality_officer": ("complaints.view_complaint", _STATS, "complaints.export_complaints"),
    "dept_head": (*_RECEIVE, _STATS, "complaints.export_complaints"),
    "executive": (_STATS,),
    "admin": (
        *_RECEIVE,
        _STATS,
        "complaints.close_complaint",
        "complaints.export_complaints",
        "complaints.view_routingrule",
        "complaints.change_routingrule",
        "complaints.add_routingrule",
        "complaints.delete_routingrule",
        "complaints.view_categorykeyword",
        "complaints.change_categorykeyword",
        "complaints.add_categorykeyword",
        "complaints.delete_categorykeyword",
        "complaints.view_complaintpolicy",
        "complaints.change_complaintpolicy",
        "complaints.add_complaintpolicy",
    ),
}

# Where each role starts (the root URL sends a user there): URL name and the permission the page needs.
START_PAGES: dict[str, tuple[str, str]] = {
    "complaint_officer": ("desk:complaint_list", "complaints.view_complaint"),
}
