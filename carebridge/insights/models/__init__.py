"""Models of the insights app (re-exported: callers write ``from carebridge.insights.models import X``)."""

from carebridge.insights.models.aggregates import AggregateRefresh, AnswerMonth, ResponseMonth
from carebridge.insights.models.runs import AnalysisRun

__all__ = ["AggregateRefresh", "AnalysisRun", "AnswerMonth", "ResponseMonth"]
