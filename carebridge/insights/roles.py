"""Permissions this app adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

Analysis itself needs ``surveys.analyse_surveys`` (granted by the surveys app). Reading the comments
behind the topic counts — masked, but still a patient's own words — is kept to the quality office,
department heads and administrators; leaders and ward managers see topic counts only.
Granted by ``0002_role_permissions`` (frozen copy).
"""

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "quality_officer": ("insights.view_comments",),
    "dept_head": ("insights.view_comments",),
    "admin": ("insights.view_comments",),
}

# Where each role starts (the root URL sends a user there): URL name and the permission the page needs.
# The executive starts on the leadership cockpit (reports/roles.py).
START_PAGES: dict[str, tuple[str, str]] = {
    "dept_head": ("insights:report", "surveys.analyse_surveys"),
}
