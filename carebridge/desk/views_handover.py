"""Pages of shift handover (交班) and work logs (工作日志)."""

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
from django.views.decorators.http import require_POST

from carebridge.core.selectors.organisation import staff_hospital
from carebridge.desk.forms_work import AcknowledgeForm, HandoverNotesForm, WorkLogForm
from carebridge.desk.models import WorkLog
from carebridge.desk.selectors.handover import handover_get, handover_list
from carebridge.desk.selectors.worklogs import worklog_counts, worklog_list
from carebridge.desk.services.handover import handover_acknowledge, handover_prepare, handover_write_notes
from carebridge.desk.services.worklogs import worklog_save

PAGE_SIZE = 30


@login_required
@permission_required("desk.view_handover", raise_exception=True)
def handover_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(handover_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/handover_list.html", {"page": page})


def _detail(request: HttpRequest, pk: int, status: int = 200, **forms: object) -> HttpResponse:
    handover = handover_get(user=request.user, pk=pk)
    context = {
        "handover": handover,
        "notes_form": HandoverNotesForm(initial={"notes": handover.notes}),
        "ack_form": AcknowledgeForm(),
        "may_acknowledge": request.user.has_perm("desk.acknowledge_handover"),
    }
    context.update(forms)
    return render(request, "desk/handover_detail.html", context, status=status)


@login_required
@permission_required("desk.view_handover", raise_exception=True)
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@login_required
@permission_required("desk.change_handover", raise_exception=True)
@require_POST
def handover_prepare_view(request: HttpRequest) -> HttpResponse:
    try:
        handover = handover_prepare(hospital=staff_hospital(user=request.user), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("desk:handover_list")
    return redirect("desk:handover_detail", pk=handover.pk)


@login_required
@permission_required("desk.change_handover", raise_exception=True)
@require_POST
def handover_notes_view(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get(user=request.user, pk=pk)
    form = HandoverNotesForm(request.POST)
    if form.is_valid():
        try:
            handover_write_notes(handover=handover, actor=request.user, notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            form.apply_service_errors(exc)
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
            return redirect("desk:handover_detail", pk=pk)
    return _detail(request, pk, status=400, notes_form=form)


@login_required
@permission_required("desk.acknowledge_handover", raise_exception=True)
@require_POST
def handover_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get(user=request.user, pk=pk)
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            handover_acknowledge(handover=handover, actor=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.apply_service_errors(exc)
            messages.error(request, " ".join(exc.messages))
            return _detail(request, pk, status=400, ack_form=form)
        else:
            messages.success(request, _("You have taken over the shift."))
            return redirect("desk:handover_detail", pk=pk)
    messages.error(request, _("Nothing was changed: see the messages below."))
    return _detail(request, pk, status=400, ack_form=form)


@login_required
@permission_required("desk.view_worklog", raise_exception=True)
def worklog_list_view(request: HttpRequest) -> HttpResponse:
    logs = worklog_list(user=request.user).order_by("-day", "author__username")
    page = Paginator(logs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "desk/worklog_list.html", {"page": page})


@login_required
@permission_required("desk.add_worklog", raise_exception=True)
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
        "desk/worklog_form.html",
        {"form": form, "day": chosen, "counts": counts, "log": existing},
        status=400 if form.errors else 200,
    )
