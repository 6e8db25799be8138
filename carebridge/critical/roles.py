"""Permissions critical results adds to the roles of DESIGN §4 (merged by carebridge.core.roles).

The checkup centre's staff (the customer-service group of 篇7 2.2.5) work the queue: claim, call, log
attempts, reveal contacts with a reason. The chief examiner and department heads supervise: they receive
escalations and sign off a notification as unable to reach. Clinicians receive clinical notifications in
their own scope. Administrators edit rule sets, class policies and ladders. Granted by
``0002_role_permissions``; ``core/tests/domain/test_roles`` checks that the two agree.
"""

_READ = (
    "critical.view_notification",
    "critical.view_finding",
    "critical.view_attempt",
    "critical.view_rule",
    "critical.view_ruleset",
)
_WORK = (*_READ, "critical.work_notification", "critical.view_critical_kpis")
_CONFIG = tuple(
    f"critical.{action}_{model}"
    for model in ("ruleset", "rule", "classpolicy")
    for action in ("view", "add", "change", "delete")
)

PERMISSIONS: dict[str, tuple[str, ...]] = {
    "checkup_staff": _WORK,
    "clinician": (*_READ, "critical.work_notification"),
    "chief_examiner": (*_WORK, "critical.signoff_notification"),
    "dept_head": (*_WORK, "critical.signoff_notification"),
    "executive": ("critical.view_critical_kpis",),
    "admin": (*_WORK, "critical.signoff_notification", *_CONFIG),
}
