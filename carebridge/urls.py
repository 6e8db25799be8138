"""Root URLs: the UI per app, the versioned REST API, OpenAPI, health check, language switch."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from carebridge.checkup import urls as checkup_urls
from carebridge.complaints import urls as complaints_urls
from carebridge.core.views.health import healthz
from carebridge.frontdesk import urls as frontdesk_urls
from carebridge.patients.views.home import home
from carebridge.surveys import urls as surveys_urls
from carebridge.surveys.api import urls as surveys_api_urls

# The front desk and complaints share the /desk/ pages and the ``desk:`` URL names, as they did when they
# were one app: one namespace, one list (two includes of one namespace would hide the second from reverse()).
desk_urls = ([*frontdesk_urls.urlpatterns, *complaints_urls.urlpatterns], "desk")
# The admin pages of the desk's models follow their new app labels; old bookmarks still arrive there.
desk_admin_redirects = [
    re_path(
        r"^admin/desk/(?P<rest>(?:categorykeyword|complaintpolicy|routingrule)/.*)$",
        RedirectView.as_view(url="/admin/complaints/%(rest)s", permanent=True, query_string=True),
    ),
    re_path(
        r"^admin/desk/(?P<rest>shift/.*)$",
        RedirectView.as_view(url="/admin/frontdesk/%(rest)s", permanent=True, query_string=True),
    ),
]

urlpatterns = [
    # The home page is the registry's dashboard; its name stays ``core:home`` (templates, LOGIN_REDIRECT_URL).
    path("", include(([path("", home, name="home")], "core"))),
    path("patients/", include("carebridge.patients.urls")),
    path("knowledge/", include("carebridge.knowledge.urls")),
    path("desk/", include(desk_urls)),
    path("followup/", include("carebridge.followup.urls")),
    path("surveys/", include("carebridge.surveys.urls")),
    path("s/", include((surveys_urls.public_urlpatterns, "answer"))),
    path("insights/", include("carebridge.insights.urls")),
    path("checkup/", include("carebridge.checkup.urls")),
    path("interop/", include("carebridge.interop.urls")),
    path("r/", include((checkup_urls.public_urlpatterns, "checkup_report"))),
    path("critical/", include("carebridge.critical.urls")),
    path("performance/", include("carebridge.performance.urls")),
    path("reports/", include("carebridge.reports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    *desk_admin_redirects,
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include("carebridge.core.api.urls")),
    path("api/v1/", include("carebridge.patients.api.urls")),
    path("api/v1/", include("carebridge.knowledge.api.urls")),
    path("api/v1/", include("carebridge.complaints.api.urls")),
    path("api/v1/", include("carebridge.frontdesk.api.urls")),
    path("api/v1/", include("carebridge.followup.api.urls")),
    path("api/v1/", include("carebridge.surveys.api.urls")),
    path("api/v1/", include("carebridge.insights.api.urls")),
    path("api/v1/", include("carebridge.checkup.api.urls")),
    path("fhir/r4/", include("carebridge.interop.api.urls")),
    path("api/v1/", include("carebridge.critical.api.urls")),
    path("api/v1/", include("carebridge.performance.api.urls")),
    path("api/v1/", include("carebridge.reports.api.urls")),
    path("api/public/", include(surveys_api_urls.public_urlpatterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
]

handler400 = "carebridge.core.views.errors.bad_request"
handler403 = "carebridge.core.views.errors.permission_denied"
handler404 = "carebridge.core.views.errors.page_not_found"
handler500 = "carebridge.core.views.errors.server_error"
