"""Pages of the follow-up KPIs and the customer file (appended to ``followup/urls.py``'s patterns)."""

from __future__ import annotations

from django.urls import URLPattern, path

from carebridge.followup import views_customer, views_kpis

urls: list[URLPattern] = [
    path("kpis/", views_kpis.kpi_dashboard, name="kpi_dashboard"),
    path("kpis/export/", views_kpis.kpi_export, name="kpi_export"),
    path("kpis/rows/", views_kpis.kpi_rows_view, name="kpi_rows"),
    path("customers/<int:pk>/", views_customer.customer_file, name="customer_file"),
]
