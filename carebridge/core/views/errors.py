"""Error answers: the product's own pages in the user's language, and JSON for API clients.

An API client (``/api/``) that sends a body too large, a broken URL or a request that fails gets a JSON
``{"detail": …}`` like every other API refusal, never an HTML page it cannot read.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

_API_PREFIXES = ("/api/", "/fhir/")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(_API_PREFIXES)


def bad_request(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if _is_api(request) and isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return JsonResponse(
            {
                "detail": _("The request body is larger than %(limit)d KB; send less at a time.")
                % {"limit": limit // 1024}
            },
            status=413,
        )
    if _is_api(request):
        return JsonResponse(
            {"detail": _("The request could not be read (too large, or malformed). Nothing was changed.")},
            status=400,
        )
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"detail": str(exception) or _("You do not have permission to do this.")}, status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception, **kwargs: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("A server error occurred. It has been logged.")}, status=500)
    return defaults.server_error(request)
