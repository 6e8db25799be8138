"""Permissions the balanced scorecard and the cockpit (issue 15) add to the roles of DESIGN §4;
``performance/roles.py`` merges this table with the standards' (``roles_standards.py``).

Leaders read scorecards and the cockpit (aggregates and the rows behind them, masked); department heads
also enter their departments' hand-entered figures; the quality office enters figures and closes and
corrects months; administrators design scorecards. Granted by ``0004_scorecard_role_permissions``.
"""

from __future__ import annotations

VIEW = "performance.view_scorecards"
COCKPIT = "performance.view_cockpit"
ENTER = "performance.enter_kpi_values"
CLOSE = "performance.close_score_periods"
MANAGE = "performance.manage_scorecards"

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "executive": (VIEW, COCKPIT),
    "dept_head": (VIEW, COCKPIT, ENTER),
    "quality_officer": (VIEW, COCKPIT, ENTER, CLOSE),
    "admin": (VIEW, COCKPIT, ENTER, CLOSE, MANAGE),
}
