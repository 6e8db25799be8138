"""The agent's workspace (/desk/): my open items by deadline, the counters, quick inquiry entry and
today's inquiries, on one page that fits a 1366×768 screen."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from carebridge.frontdesk.forms.inquiries import InquiryForm
from carebridge.frontdesk.selectors.inquiries import inquiries_of_day
from carebridge.frontdesk.selectors.workspace import my_open_items, workspace_counters

TODAY_LIMIT = 30
WORKSPACE_PERMISSIONS = ("frontdesk.add_inquiry", "frontdesk.view_escort", "complaints.view_complaint")


def _zone() -> str:
    return timezone.get_current_timezone_name()


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not any(user.has_perm(p) for p in WORKSPACE_PERMISSIONS):
        if user.has_perm("complaints.view_complaint_statistics"):
            return redirect("desk:complaint_statistics")
        raise PermissionDenied
    now = timezone.now()
    context = {
        "items": my_open_items(user=user, now=now),
        "counters": workspace_counters(user=user, now=now, zone=_zone()),
        "today": inquiries_of_day(user=user, now=now, zone=_zone())[:TODAY_LIMIT],
        "form": InquiryForm(user=user) if user.has_perm("frontdesk.add_inquiry") else None,
        "now": now,
    }
    return render(request, "frontdesk/workspace.html", context)


@login_required
def workspace_counters_view(request: HttpRequest) -> HttpResponse:
    """htmx: the counters again, after an inquiry was recorded."""
    counters = workspace_counters(user=request.user, now=timezone.now(), zone=_zone())
    return render(request, "frontdesk/_workspace_counters.html", {"counters": counters})
