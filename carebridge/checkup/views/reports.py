"""The person's own report (no login): ``/r/<token>/`` on a phone, and its PDF.

The first opening uses the link up (``services.reports.report_open``) and gives this browser the report
for a few hours (a session key); anyone else with the link gets a page that says why it shows nothing.
"""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from carebridge.checkup.exports import report_data, report_html, report_pdf
from carebridge.checkup.models import ReportRelease
from carebridge.checkup.services.reports import SESSION_HOURS, ReportLinkRefused, report_open

_SESSION_KEY = "checkup_reports"


def _granted(request: HttpRequest, token: str) -> bool:
    grants = request.session.get(_SESSION_KEY, {})
    return float(grants.get(token, 0)) > time.time()


def _grant(request: HttpRequest, token: str) -> None:
    grants = {k: v for k, v in request.session.get(_SESSION_KEY, {}).items() if float(v) > time.time()}
    grants[token] = time.time() + SESSION_HOURS * 3600
    request.session[_SESSION_KEY] = grants


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _release(request: HttpRequest, token: str) -> ReportRelease | HttpResponse:
    if _granted(request, token):
        release = (
            ReportRelease.objects.select_related("visit").filter(token=token, revoked_at__isnull=True).first()
        )
        if release is not None:
            return release
    try:
        release = report_open(token=token)
    except ReportLinkRefused as refused:
        status = 404 if refused.reason == "unknown" else 410
        return _private(
            render(request, "checkup/report_refused.html", {"reason": refused.reason}, status=status)
        )
    _grant(request, token)
    return release


def report(request: HttpRequest, token: str) -> HttpResponse:
    found = _release(request, token)
    if isinstance(found, HttpResponse):
        return found
    visit = found.visit
    html = report_html(report_data(visit, user=None), template="checkup/report_public.html", token=token)
    return _private(HttpResponse(html))


def report_pdf_public(request: HttpRequest, token: str) -> HttpResponse:
    if not _granted(request, token):
        return _private(render(request, "checkup/report_refused.html", {"reason": "used"}, status=410))
    found = _release(request, token)
    if isinstance(found, HttpResponse):
        return found
    response = HttpResponse(report_pdf(report_data(found.visit, user=None)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.visit.number}.pdf"'
    return _private(response)
