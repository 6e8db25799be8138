"""Pages of the reports app."""

from django.urls import URLPattern, path

from carebridge.reports.views import centre, cockpit, leadership

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("cockpit/", cockpit.cockpit_page, name="cockpit"),
    path("checkup-centre/", centre.centre_page, name="centre"),
    path("checkup-centre/pdf/", centre.centre_pdf, name="centre_pdf"),
    path("checkup-centre/xlsx/", centre.centre_xlsx, name="centre_xlsx"),
    path("leadership/", leadership.leadership_page, name="leadership"),
    path("leadership/pdf/", leadership.leadership_pdf, name="leadership_pdf"),
    path("leadership/xlsx/", leadership.leadership_xlsx, name="leadership_xlsx"),
]
