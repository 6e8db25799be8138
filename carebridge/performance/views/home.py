"""The landing page of standards, training and activities: links to what the user may open."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

ENTRY = (
    "performance.view_activity",
    "performance.view_course",
    "performance.view_finding",
    "performance.view_standards_statistics",
)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not any(request.user.has_perm(p) for p in ENTRY):
        raise PermissionDenied
    return render(request, "performance/home.html")
