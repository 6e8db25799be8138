"""Permissions the reports app adds to the roles of DESIGN §4 (merged by carebridge.core.roles), and the
executive's start page: the leadership cockpit (which needs ``performance.view_cockpit``).

The checkup centre's report (month and year) is for the centre's staff, its chief examiner and the
hospital's leadership; the data stay the centre's (DESIGN §4), so no ward or department role reads it.
The monthly leadership report goes to those who read the cockpit. Granted by
``0003_role_permissions``; ``core/tests/domain/test_roles`` checks that the two agree.
"""

CENTRE_REPORT = "reports.view_centre_report"
LEADERSHIP_REPORT = "reports.view_leadership_report"

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "checkup_staff": (CENTRE_REPORT,),
    "chief_examiner": (CENTRE_REPORT,),
    "executive": (CENTRE_REPORT, LEADERSHIP_REPORT),
    "dept_head": (LEADERSHIP_REPORT,),
    "quality_officer": (LEADERSHIP_REPORT,),
    "admin": (CENTRE_REPORT, LEADERSHIP_REPORT),
}

# Where each role starts (the root URL sends a user there): URL name and the permission the page needs.
START_PAGES: dict[str, tuple[str, str]] = {
    "executive": ("reports:cockpit", "performance.view_cockpit"),
}
