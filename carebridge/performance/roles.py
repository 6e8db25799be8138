"""Permissions the performance app adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

Each sub-domain keeps its table in ``domain/roles_*.py``; granted by the app's role migrations
(``0003_standards_role_permissions`` for the standards part); ``core/tests/domain/test_roles`` checks
that the two agree.
"""

from __future__ import annotations

from carebridge.performance.domain.roles_standards import PERMISSIONS as STANDARDS

PERMISSIONS: dict[str, tuple[str, ...]] = {
    role: tuple(dict.fromkeys(perms)) for role, perms in STANDARDS.items()
}
