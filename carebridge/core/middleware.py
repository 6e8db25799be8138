"""Language selection: Chinese unless the user chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language, which on hospital PCs is often an
English OS default; staff expect the Chinese UI. So only the language the user picked with the switch
(the language cookie) counts, and everything else gets ``LANGUAGE_CODE`` (zh-hans).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """Pages and API answers may carry patient data: no browser or proxy may keep a copy
    (``Cache-Control: no-store``) unless a view chose its own caching. Static files are answered by
    WhiteNoise before this middleware and keep their long cache lifetimes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store, private"
        return response


# The two inline handlers some print and filter pages still carry (``this.form.submit()``,
# ``window.print()``), allowed by hash; everything else runs from /static/ (carebridge/behaviours.js).
INLINE_HANDLER_HASHES = (
    "'sha256-osjxnKEPL/pQJbFk1dKsF7PYFmTyMWGmVSiL9inhxJY='",
    "'sha256-MguIPR6qNR8D3B+eAlK+bIRTZe8t3wkOY4B/56Me9FU='",
)
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-hashes' " + " ".join(INLINE_HANDLER_HASHES),
        # Inline style attributes (widths, progress bars) and htmx's indicator style: styles cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# The API's own documentation pages (drf-spectacular's Swagger UI and ReDoc) start with inline script.
CSP_EXEMPT_PREFIXES = ("/api/docs", "/api/redoc")


class ContentSecurityPolicyMiddleware:
    """Every page says where script, style and images may come from: this origin only. The front end
    is served locally (no CDN on a hospital intranet), so an injected ``<script>`` or ``onerror=`` has
    nowhere to run from even if escaping ever failed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response.headers and not request.path.startswith(
            CSP_EXEMPT_PREFIXES
        ):
            response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response
