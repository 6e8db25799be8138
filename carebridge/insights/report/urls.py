"""URL patterns of the monthly report; ``carebridge/insights/urls.py`` adds them with ``*report.urls.urls``
(app_name "insights", mounted at /insights/)."""

from __future__ import annotations

from django.urls import path

from carebridge.insights.report import views

urls = [
    path("report/", views.report_page, name="report"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
    path("report/xlsx/", views.report_xlsx, name="report_xlsx"),
]
