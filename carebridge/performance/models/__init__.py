"""Models of the performance app, by sub-domain: scorecards (issue 15), staff standards, training,
activities and inspections (issue 16), improvement actions (issue 21)."""

from carebridge.performance.models.actions import ActionTransition, ImprovementAction
from carebridge.performance.models.activities import Activity, ActivityAttachment, HealthDay, Screening
from carebridge.performance.models.inspections import (
    Finding,
    FindingPhoto,
    FindingTransition,
    InspectionArea,
    InspectionRound,
)
from carebridge.performance.models.scorecards import (
    Kpi,
    KpiAssignment,
    KpiEntry,
    KpiMonthValue,
    Objective,
    Perspective,
    Scorecard,
    ScorePeriod,
    ScoreVersion,
)
from carebridge.performance.models.staffing import (
    AdmissionAssessment,
    AdmissionCriterion,
    AdmissionScore,
    Post,
    PostAssignment,
)
from carebridge.performance.models.training import Attendance, Course, TrainingSession, TrainingYear

__all__ = [
    "ActionTransition",
    "Activity",
    "ActivityAttachment",
    "AdmissionAssessment",
    "AdmissionCriterion",
    "AdmissionScore",
    "Attendance",
    "Course",
    "Finding",
    "FindingPhoto",
    "FindingTransition",
    "HealthDay",
    "ImprovementAction",
    "InspectionArea",
    "InspectionRound",
    "Kpi",
    "KpiAssignment",
    "KpiEntry",
    "KpiMonthValue",
    "Objective",
    "Perspective",
    "Post",
    "PostAssignment",
    "ScorePeriod",
    "ScoreVersion",
    "Scorecard",
    "Screening",
    "TrainingSession",
    "TrainingYear",
]
