"""Pages of the insights app, mounted at /insights/."""

from __future__ import annotations

from django.urls import path

from carebridge.insights import views, views_ahp
from carebridge.insights.report import urls as report_urls

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("dimensions/", views.dimensions, name="dimensions"),
    path("items/", views.items, name="items"),
    path("psychometrics/", views.psychometrics, name="psychometrics"),
    path("csi/", views.csi, name="csi"),
    path("ipa/", views.ipa, name="ipa"),
    path("drivers/", views.drivers, name="drivers"),
    path("trends/", views.trends, name="trends"),
    path("benchmark/", views.benchmark, name="benchmark"),
    path("comments/", views.comments, name="comments"),
    path("ahp/", views_ahp.ahp_editor, name="ahp"),
    path("runs/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    *report_urls.urls,
]
