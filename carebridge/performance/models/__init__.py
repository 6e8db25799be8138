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
