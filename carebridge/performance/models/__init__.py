"""Models of the performance app, by sub-domain: scorecards (issue 15), improvement actions (issue 21)."""

from carebridge.performance.models.actions import ActionTransition, ImprovementAction
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

__all__ = [
    "ActionTransition",
    "ImprovementAction",
    "Kpi",
    "KpiAssignment",
    "KpiEntry",
    "KpiMonthValue",
    "Objective",
    "Perspective",
    "ScorePeriod",
    "ScoreVersion",
    "Scorecard",
]
