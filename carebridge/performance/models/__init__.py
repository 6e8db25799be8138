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
