"""Permissions the performance app adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

Each sub-domain keeps its table in ``domain/roles_*.py``; the app's role migrations grant them
(``0003_standards_role_permissions`` for the standards, ``0004_scorecard_role_permissions`` for the scorecard,
``0003_action_role_permissions`` for the improvement actions); ``core/tests/domain/test_roles`` checks that
the two agree."""

from __future__ import annotations

from carebridge.performance.domain.roles_actions import PERMISSIONS as ACTIONS
from carebridge.performance.domain.roles_scorecard import PERMISSIONS as SCORECARD
from carebridge.performance.domain.roles_standards import PERMISSIONS as STANDARDS

_TABLES: tuple[dict[str, tuple[str, ...]], ...] = (SCORECARD, STANDARDS, ACTIONS)

PERMISSIONS: dict[str, tuple[str, ...]] = {}
for _table in _TABLES:
    for _role, _permissions in _table.items():
        PERMISSIONS[_role] = tuple(dict.fromkeys((*PERMISSIONS.get(_role, ()), *_permissions)))
