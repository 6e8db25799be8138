"""Pages of the insights app, mounted at /insights/: the analysis tabs, background runs, the AHP editor
and the monthly report (page, PDF, Excel)."""

from __future__ import annotations

from django.urls import path

from carebridge.insights.views import ahp, analysis, group, qualitative, report

app_name = "insights"

urlpatterns = [
    path("", analysis.overview, name="overview"),
    path("group/", group.group_page, name="group"),
    path("dimensions/", analysis.dimensions, name="dimensions"),
    path("items/", analysis.items, name="items"),
    path("psychometrics/", analysis.psychometrics, name="psychometrics"),
    path("csi/", analysis.csi, name="csi"),
    path("ipa/", analysis.ipa, name="ipa"),
    path("drivers/", analysis.drivers, name="drivers"),
    path("trends/", analysis.trends, name="trends"),
    path("benchmark/", analysis.benchmark, name="benchmark"),
    path("comments/", analysis.comments, name="comments"),
    path("qualitative/", qualitative.qualitative, name="qualitative"),
    path("qualitative/<int:pk>/", qualitative.qualitative_session, name="qualitative_session"),
    path("ahp/", ahp.ahp_editor, name="ahp"),
    path("runs/", analysis.run_create, name="run_create"),
    path("runs/<int:pk>/", analysis.run_detail, name="run_detail"),
    path("report/", report.report_page, name="report"),
    path("report/pdf/", report.report_pdf, name="report_pdf"),
    path("report/xlsx/", report.report_xlsx, name="report_xlsx"),
]
