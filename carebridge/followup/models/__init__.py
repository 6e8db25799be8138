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
from carebridge.followup.models.programmes import (
    ChronicProgramme,
    EnrolmentTransition,
    ProgrammeEnrolment,
    ProgrammeRecall,
    RecallStep,
)
from carebridge.followup.models.stay_plans import StayItemTransition, StayPlan, StayPlanItem
from carebridge.followup.models.ward_programme import SyncIssue, WardMeeting, WardSync

__all__ = [
    "CallAttempt",
    "CallIssue",
    "CallScript",
    "CarePlan",
    "CarePlanTransition",
    "ChronicProgramme",
    "CustomerContact",
    "CustomerFile",
    "EnrolmentTransition",
    "FollowupPolicy",
    "FollowupTier",
    "ProgrammeEnrolment",
    "ProgrammeRecall",
    "RecallStep",
    "StayItemTransition",
    "StayPlan",
    "StayPlanItem",
    "SyncIssue",
    "TelephonyCall",
    "TierFacts",
    "TierRule",
    "TierWindow",
    "Touchpoint",
    "TouchpointTemplate",
    "TouchpointTransition",
    "WardMeeting",
    "WardProjectManager",
    "WardSync",
]
