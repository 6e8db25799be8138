"""REST API of the insights app, under /api/v1/."""

from __future__ import annotations

from django.urls import path

from carebridge.insights.api import views

urlpatterns = [
    path("insights/analyses/<str:kind>/", views.AnalysisView.as_view(), name="insights-analysis"),
    path("insights/runs/", views.RunListView.as_view(), name="insights-run-list"),
    path("insights/runs/<int:pk>/", views.RunDetailView.as_view(), name="insights-run-detail"),
    path("insights/ahp/check/", views.AhpCheckView.as_view(), name="insights-ahp-check"),
]
