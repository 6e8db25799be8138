"""Permissions the front desk adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

Inquiries, escorts, shift handover and work logs (the desk's daily work). Wards and the checkup centre
request escorts for their patients; agents do the rest; department heads read their departments' escorts
and their agents' work logs. The data migration ``desk/0005_desk_work_role_permissions`` granted the same
table under the app's former label ``desk``; ``frontdesk/0001_initial`` relabelled those permissions, and
``test_roles`` checks that they agree.
"""

_INQUIRY = ("frontdesk.add_inquiry", "frontdesk.view_inquiry", "frontdesk.change_inquiry")
_INQUIRY_STATS = "frontdesk.view_inquiry_statistics"
_ESCORT = ("frontdesk.add_escort", "frontdesk.view_escort", "frontdesk.change_escort")
_HANDOVER = (
    "frontdesk.view_handover",
    "frontdesk.change_handover",
    "frontdesk.acknowledge_handover",
    "frontdesk.view_shift",
)
_WORKLOG = ("frontdesk.add_worklog", "frontdesk.view_worklog", "frontdesk.change_worklog")

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": (*_INQUIRY, _INQUIRY_STATS, *_ESCORT, *_HANDOVER, *_WORKLOG),
    "ward_manager": _ESCORT,
    "clinician": ("frontdesk.add_escort", "frontdesk.view_escort"),
    "checkup_staff": ("frontdesk.add_escort", "frontdesk.view_escort"),
    "complaint_officer": (
        "frontdesk.view_inquiry",
        _INQUIRY_STATS,
        "frontdesk.view_escort",
        "frontdesk.view_handover",
    ),
    "quality_officer": ("frontdesk.view_inquiry", _INQUIRY_STATS),
    "dept_head": (
        _INQUIRY_STATS,
        "frontdesk.view_escort",
        "frontdesk.view_worklog",
        "frontdesk.review_worklogs",
    ),
    "executive": (_INQUIRY_STATS,),
    "admin": (
        *_INQUIRY,
        _INQUIRY_STATS,
        *_ESCORT,
        *_HANDOVER,
        *_WORKLOG,
        "frontdesk.review_worklogs",
        "frontdesk.add_shift",
        "frontdesk.change_shift",
    ),
}

# Where each role starts (the root URL sends a user there): URL name and the permission the page needs.
START_PAGES: dict[str, tuple[str, str]] = {"agent": ("desk:workspace", "frontdesk.add_inquiry")}
