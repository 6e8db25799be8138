"""Pages of the reports app."""

from django.urls import URLPattern, path

from carebridge.reports.views import cockpit

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("cockpit/", cockpit.cockpit_page, name="cockpit"),
]
