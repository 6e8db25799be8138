from carebridge.critical.models.notifications import (
    Attempt,
    Escalation,
    Finding,
    Notification,
    NotificationTransition,
    Recheck,
)
from carebridge.critical.models.rules import ClassPolicy, Rule, RuleSet

__all__ = [
    "Attempt",
    "ClassPolicy",
    "Escalation",
    "Finding",
    "Notification",
    "NotificationTransition",
    "Recheck",
    "Rule",
    "RuleSet",
]
