"""Permissions this app adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

The quality office owns instruments, waves and analysis; agents run phone interviews and enter paper
questionnaires; ward managers print the QR sheets of their wards; department heads and leaders see the
analysis of their scope (aggregates only). Granted by ``0002_role_permissions`` (frozen copy).
"""

_READ = ("surveys.view_instrument", "surveys.view_instrumentversion", "surveys.view_wave")
_OFFICE = (
    *_READ,
    "surveys.add_instrument",
    "surveys.change_instrument",
    "surveys.add_instrumentversion",
    "surveys.change_instrumentversion",
    "surveys.add_wave",
    "surveys.change_wave",
    "surveys.view_invitation",
    "surveys.change_invitation",
    "surveys.view_response",
    "surveys.add_response",
    "surveys.export_responses",
    "surveys.analyse_surveys",
    "surveys.view_recoverytrigger",
    "surveys.add_recoverytrigger",
    "surveys.change_recoverytrigger",
    "surveys.view_donotcontact",
    "surveys.add_donotcontact",
    "surveys.view_importbatch",
    "surveys.add_importbatch",
)

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "agent": (*_READ, "surveys.view_invitation", "surveys.add_response", "surveys.add_donotcontact"),
    "ward_manager": (*_READ, "surveys.view_invitation", "surveys.analyse_surveys"),
    "quality_officer": _OFFICE,
    "dept_head": (*_READ, "surveys.analyse_surveys"),
    "executive": ("surveys.view_instrument", "surveys.view_wave", "surveys.analyse_surveys"),
    "admin": (*_OFFICE, "surveys.delete_recoverytrigger", "surveys.delete_donotcontact"),
}

# Mystery-patient audits (issue 21): the quality office runs them; department heads and leaders read the
# results (of their scope). Granted by ``0008_audit_role_permissions``.
_AUDIT_READ = ("surveys.view_auditround", "surveys.view_auditvisit")
_AUDIT_RUN = (*_AUDIT_READ, "surveys.add_auditround", "surveys.add_auditvisit")
for _role, _extra in {
    "quality_officer": _AUDIT_RUN,
    "dept_head": _AUDIT_READ,
    "executive": _AUDIT_READ,
    "admin": _AUDIT_RUN,
}.items():
    PERMISSIONS[_role] = (*PERMISSIONS[_role], *_extra)

# Interviews, focus groups and expert-panel reviews (issue 21): as the audits.
# Granted by ``0010_qualitative_role_permissions``.
_QUALITATIVE_READ = ("surveys.view_qualitativesession", "surveys.view_expertreview")
_QUALITATIVE_RUN = (
    *_QUALITATIVE_READ,
    "surveys.add_qualitativesession",
    "surveys.add_expertreview",
    "surveys.change_expertreview",
)
for _role, _extra in {
    "quality_officer": _QUALITATIVE_RUN,
    "dept_head": _QUALITATIVE_READ,
    # Leaders see aggregates only: the coded topics (insights), not the notes.
    "executive": ("surveys.view_expertreview",),
    "admin": _QUALITATIVE_RUN,
}.items():
    PERMISSIONS[_role] = (*PERMISSIONS[_role], *_extra)

# Where each role starts (the root URL sends a user there): URL name and the permission the page needs.
START_PAGES: dict[str, tuple[str, str]] = {
    "quality_officer": ("surveys:home", "surveys.view_instrument"),
}
