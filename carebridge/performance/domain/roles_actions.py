"""Permissions the improvement actions add to the roles of DESIGN §4 (merged by ``performance/roles.py``).
The quality office, the complaint office, department heads and ward project managers raise and run
actions; executives read them; administrators everything. Granted by ``0003_action_role_permissions``;
``core/tests/domain/test_roles`` checks that the two agree."""

_VIEW = ("performance.view_improvementaction",)
_RUN = (*_VIEW, "performance.add_improvementaction", "performance.change_improvementaction")

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "ward_manager": _RUN,
    "complaint_officer": _RUN,
    "quality_officer": _RUN,
    "dept_head": _RUN,
    "executive": _VIEW,
    "admin": _RUN,
}
