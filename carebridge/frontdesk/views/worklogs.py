"""Pages of work logs (工作日志): the logs a user may read, and one's own log of a day."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.frontdesk.forms.handover import WorkLogForm
from carebridge.frontdesk.models import WorkLog
from carebridge.frontdesk.selectors.worklogs import worklog_counts, worklog_list
from carebridge.frontdesk.services.worklogs import worklog_save

PAGE_SIZE = 30


@login_required
@permission_required("frontdesk.view_worklog", raise_exception=True)
def worklog_list_view(request: HttpRequest) -> HttpResponse:
    logs = worklog_list(user=request.user).order_by("-day", "author__username")
    page = Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "frontdesk/worklog_list.html", {"page": page})


@login_required
@permission_required("frontdesk.add_worklog", raise_exception=True)
def worklog_edit(request: HttpRequest, day: str = "") -> HttpResponse:
    """My log of a day (today by default): counts pre-filled from the records, notes typed in."""
    today = timezone.localdate()
    try:
        chosen = dt.date.fromisoformat(day) if day else today
    except ValueError as exc:
        raise Http404("No such day.") from exc
    existing = WorkLog.objects.filter(author_id=request.user.pk, day=chosen).first()
    form = WorkLogForm(request.POST or None, initial={"notes": existing.notes if existing else ""})
    if request.method == "POST" and form.is_valid():
        try:
            worklog_save(actor=request.user, day=chosen, notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, _("Work log saved."))
            return redirect("desk:worklog_list")
    zone = staff_hospital(user=request.user).time_zone
    counts = worklog_counts(user=request.user, day=chosen, zone=zone)
    return render(
        request,
        "frontdesk/worklog_form.html",
        {"form": form, "day": chosen, "counts": counts, "log": existing},
        status=400 if form.errors else 200,
    )
