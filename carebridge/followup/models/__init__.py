"""Models of follow-up (随访/客户关系管理), one module per sub-domain: plans, calls, configuration."""

from carebridge.followup.models.calls import CallAttempt, CallIssue, TelephonyCall
from carebridge.followup.models.config import (
    CallScript,
    FollowupPolicy,
    FollowupTier,
    TierRule,
    TierWindow,
    TouchpointTemplate,
    WardProjectManager,
)
from carebridge.followup.models.plans import (
    CarePlan,
    CarePlanTransition,
    CustomerContact,
    CustomerFile,
    TierFacts,
    Touchpoint,
    TouchpointTransition,
)

__all__ = [
    "CallAttempt",
    "CallIssue",
    "CallScript",
    "CarePlan",
    "CarePlanTransition",
    "CustomerContact",
    "CustomerFile",
    "FollowupPolicy",
    "FollowupTier",
    "TelephonyCall",
    "TierFacts",
    "TierRule",
    "TierWindow",
    "Touchpoint",
    "TouchpointTemplate",
    "TouchpointTransition",
    "WardProjectManager",
]
