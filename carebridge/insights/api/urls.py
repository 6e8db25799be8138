"""REST API of the insights app, under /api/v1/."""

from __future__ import annotations

from django.urls import path

from carebridge.insights.api.views import ahp, analysis, runs

urlpatterns = [
    path("insights/analyses/<str:kind>/", analysis.AnalysisView.as_view(), name="insights-analysis"),
    path("insights/runs/", runs.RunListView.as_view(), name="insights-run-list"),
    path("insights/runs/<int:pk>/", runs.RunDetailView.as_view(), name="insights-run-detail"),
    path("insights/ahp/check/", ahp.AhpCheckView.as_view(), name="insights-ahp-check"),
]
